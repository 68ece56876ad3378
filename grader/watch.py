"""``dlgrade check --watch``: check a folder (or file) once, then each exercise file in it again as it is saved.

One :class:`~grader.grading.GradingSession` serves the whole watch, so a save
costs a fork of the warm runner and one short pytest session (about 0.05 s for
a light exercise), not a sandbox start. Saves are collected by ``watchfiles``
(changes within 50 ms of each other come as one batch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from threading import Event

import watchfiles

from grader.grading import GradingSession
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox.spec import EngineName
from grader.submission.load import SKIP_PARTS, SOURCE_SUFFIXES, load_submission

IDLE_MS = 200  # the watcher's first (empty) batch comes after this long: then the first check starts


@dataclass(frozen=True)
class Checked:
    """One verdict of a watch: the file saved (the watched path, the first time), its result, and when it came."""

    path: Path
    result: SubmissionResult
    at: datetime


@dataclass(frozen=True)
class Line:
    """The newest verdict on one exercise, as the watch's summary lists it."""

    exercise: ExerciseResult
    file: str  # the checked file, relative to the watched folder
    at: datetime


class Summary:
    """The newest verdict on each exercise seen so far, in the course's order: what the watch redraws."""

    def __init__(self, watched: Path, order: list[str]) -> None:
        self.folder = watched if watched.is_dir() else watched.parent
        self._order = order
        self._lines: dict[str, Line] = {}

    def add(self, checked: Checked) -> None:
        """Take the exercises ``checked`` found (a missing one was not seen)."""
        for ex in checked.result.exercises:
            if ex.status != "missing":
                file = ex.file if checked.path.is_dir() else checked.path.relative_to(self.folder).as_posix()
                self._lines[ex.name] = Line(ex, file, checked.at)

    @property
    def lines(self) -> list[Line]:
        """One line per exercise seen."""
        return [self._lines[name] for name in self._order if name in self._lines]


def watch(
    session: GradingSession,
    path: Path,
    on_result: Callable[[Checked], None],
    on_start: Callable[[Path], None] = lambda path: None,
    stop_event: Event | None = None,
    exercises: list[str] | None = None,
    engine: EngineName = "fast",
) -> None:
    """Run the public checks on ``path`` (as ``dlgrade check PATH`` does), then on each file saved under it.

    A saved file is checked when it holds exercises (among ``exercises``, when
    given): a ``.py`` or notebook named after one, or another notebook that
    defines an exercise's names; editor temp files, hidden folders,
    ``.ipynb_checkpoints`` and ``__pycache__`` are ignored. ``on_start`` gets
    each path as its check begins, ``on_result`` each verdict. Returns once
    ``stop_event`` is set; Ctrl-C raises ``KeyboardInterrupt`` (the caller ends
    the session).
    """
    path = path.resolve()

    def check(target: Path, first: bool = False) -> None:
        found = [name for name in exercises_in(session, target) if not exercises or name in exercises]
        if found or first:  # a first check that finds nothing says what is missing
            on_start(target)
            for result in session.grade([target], found or exercises, hidden=False, engine=engine):
                on_result(Checked(target, result, datetime.now()))

    folder = path if path.is_dir() else path.parent
    names = set(session.course.names)

    def wanted(change: watchfiles.Change, name: str) -> bool:
        return change != watchfiles.Change.deleted and _candidate(Path(name), path, names)

    watching = False
    for changes in watchfiles.watch(folder, watch_filter=wanted, stop_event=stop_event, recursive=path.is_dir(),
                                    rust_timeout=IDLE_MS, yield_on_timeout=True):
        if not watching:  # the watcher is up: a file saved from now on is seen, even while this first check runs
            watching = True
            check(path, first=True)
            continue
        for saved in sorted({Path(name) for _, name in changes}):
            check(saved)


def _candidate(file: Path, watched: Path, exercises: set[str]) -> bool:
    """Whether a changed file may hold exercises: a source named after one or any notebook, outside tool folders."""
    if watched.is_file():
        return file == watched
    try:
        parts = file.relative_to(watched).parts
    except ValueError:
        return False
    if any(part in SKIP_PARTS or part.startswith(".") for part in parts):
        return False
    return file.suffix == ".ipynb" or (file.suffix in SOURCE_SUFFIXES and file.stem in exercises)


def exercises_in(session: GradingSession, path: Path) -> list[str]:
    """The exercises a file or folder holds, in course order (none once it is gone)."""
    course = session.course
    submission = load_submission(path, course.names, names=course.defines)
    return [name for name in course.names if name in submission.files]
