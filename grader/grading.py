"""The typed API behind the CLI: paths in, results out.

The order matters for the trust boundary: the sandbox slot (a fork of this
process) is created *before* any check file, solution or submission is read,
so no runner's memory ever holds them. Then the checks' points are compared
with the manifest (:func:`~grader.judge.points.check_points`), so a course
whose points do not add up stops before any submission is graded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import torch

import grader
from grader.course import Course, Exercise
from grader.exceptions import SandboxError, UsageError
from grader.judge.plugin import Job
from grader.judge.points import check_points
from grader.judge.session import run_checks
from grader.results import SubmissionResult
from grader.sandbox.slot import ForkSlot, Layer, Slot, SpawnSlot
from grader.sandbox.spec import EngineName
from grader.submission.load import load_submission

Isolation = Literal["auto", "fork", "spawn"]


def open_slot(course: Course, isolation: Isolation, extra_hidden: list[Path]) -> Slot:
    """A runner slot, set up: forked zygotes on Linux, spawned interpreters elsewhere or when asked."""
    slot = open_slots(course, isolation, extra_hidden, 1)[0]
    try:
        slot.layers  # noqa: B018 - waits until the zygotes are set up
    except (OSError, RuntimeError) as exc:
        slot.close()
        raise SandboxError(f"could not start the sandbox: {exc}") from None
    return slot


def open_slots(course: Course, isolation: Isolation, extra_hidden: list[Path], count: int,
               collapse: bool = False) -> list[Slot]:
    """``count`` runner slots, still setting up side by side: the first use of each waits for it.

    ``collapse``: back the template's heap with huge pages when it is forked now (:mod:`grader.sandbox.heap`).

    Every slot is forked from the template (:mod:`grader.sandbox.template`), never from this process, so
    slots may open at any time; the template itself is forked before anything secret is read.
    """
    hide = [*course.hidden_paths, course.root, *extra_hidden]
    # The engine is public (it ships to students); the kernel engine imports it inside the sandbox.
    keep = [Path(sys.prefix), Path(sys.base_prefix), Path(torch.__file__).parent.parent, Path(grader.__file__).parent]
    if isolation == "spawn" or (isolation == "auto" and not sys.platform.startswith("linux")):
        return [SpawnSlot(hide, keep) for _ in range(count)]
    slots: list[Slot] = []
    try:
        for _ in range(count):
            slots.append(ForkSlot(hide, keep, list(course.preload), collapse=collapse))
    except (OSError, RuntimeError) as exc:
        for slot in slots:
            slot.close()
        raise SandboxError(f"could not start the sandbox: {exc}") from None
    return slots


class GradingSession:
    """A sandbox slot kept warm across gradings: one ``grade`` call, a notebook kernel's life, a ``--watch`` loop.

    ``hide`` are paths no runner may see besides the course's (the submissions'
    folders); a later submission outside them reopens the slot with it added.
    """

    def __init__(self, course: Course, isolation: Isolation = "auto", hide: list[Path] | None = None) -> None:
        self.course, self.isolation = course, isolation
        self._hidden = [p.resolve() for p in hide or []]
        self.slot = open_slot(course, isolation, self._hidden)

    def __enter__(self) -> GradingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def layers(self) -> list[Layer]:
        """The protections in force for this session's runners."""
        return self.slot.layers

    def grade(
        self,
        paths: list[Path],
        exercises: list[str] | None = None,
        hidden: bool = True,
        on_result: Callable[[SubmissionResult], None] = lambda r: None,
        engine: EngineName = "fast",
    ) -> list[SubmissionResult]:
        """Grade each path as one submission; results come back in the order of ``paths``.

        Without ``exercises``, every exercise is graded, except that a public-checks run (``hidden=False``) of
        one file grades only the exercises found in it: a student checking ``pad_collate.py`` asked about that.
        """
        for path in paths:
            if not path.exists():
                raise UsageError(f"{path} does not exist")
        self._cover([p.resolve() for p in paths])
        selected = tuple(self.course.exercise(name) for name in exercises) if exercises else self.course.exercises
        if hidden:
            check_points(self.course, selected)
        results: list[SubmissionResult] = []

        def collect(result: SubmissionResult) -> None:
            results.append(result)
            on_result(result)

        jobs = [self._job(path, selected, narrow=not hidden and not exercises and path.is_file()) for path in paths]
        run_checks(self.course, selected, jobs, self.slot, hidden, collect, engine)
        return results

    def close(self) -> None:
        """End every process of the slot."""
        self.slot.close()

    def _job(self, path: Path, selected: tuple[Exercise, ...], narrow: bool) -> Job:
        submission = load_submission(path, self.course.names, names=self.course.defines)
        found = tuple(ex for ex in selected if ex.name in submission.files)
        return Job(submission, found if narrow and found else selected)

    def _cover(self, paths: list[Path]) -> None:
        """Reopen the slot when a submission lies outside every hidden path (runners must not see other files)."""
        covered = [*self._hidden, self.course.root.resolve(), *(h.resolve() for h in self.course.hidden_paths)]
        missing = [p for p in paths if not any(p.is_relative_to(h) for h in covered)]
        if missing:
            self.slot.close()
            self._hidden += missing
            self.slot = open_slot(self.course, self.isolation, self._hidden)


def grade_paths(
    course: Course,
    paths: list[Path],
    exercises: list[str] | None = None,
    hidden: bool = True,
    isolation: Isolation = "auto",
    on_result: Callable[[SubmissionResult], None] = lambda r: None,
    on_layers: Callable[[list[Layer]], None] = lambda layers: None,
    engine: EngineName = "fast",
) -> list[SubmissionResult]:
    """Grade each path as one submission in a session of its own (see :meth:`GradingSession.grade`)."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
    with GradingSession(course, isolation, paths) as session:
        on_layers(session.layers)
        return session.grade(paths, exercises, hidden, on_result, engine)
