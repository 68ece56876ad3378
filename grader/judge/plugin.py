"""The pytest plugin that turns a pytest session into a grading run.

pytest collects the course's check files once. Instead of running each test
once, :meth:`GradingPlugin.pytest_runtestloop` runs every exercise's checks
against every submission: for each (submission, exercise) it opens an
:class:`ExerciseRun` (a sandboxed runner holding the student's module), runs
the exercise's test items with ``runtestprotocol`` (the way pytest-rerunfailures
re-runs items), and turns what each raised into a :class:`CheckResult`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

from grader.course import Course, Exercise
from grader.exceptions import CourseError
from grader.judge.feedback import feedback_for
from grader.judge.outcomes import LoadFailed
from grader.judge.reported_errors import describe_cell
from grader.judge.student import ExerciseRun, Student
from grader.results import CheckResult, ExerciseResult, ExerciseStatus, SubmissionResult
from grader.sandbox.slot import Slot
from grader.sandbox.spec import EngineName, RunnerLimits, RunnerSpec
from grader.submission.load import Submission
from grader.submission.static import forbidden_uses, syntax_problem

EXC_KEY = pytest.StashKey[dict[str, BaseException | None]]()
HINT_LIMIT = 300  # characters: a hint points at a concept, it is not a second statement


@dataclass(frozen=True)
class Job:
    """One submission and the exercises to grade in it."""

    submission: Submission
    exercises: tuple[Exercise, ...]


class GradingPlugin:
    """Registered with ``pytest.main(plugins=[...])`` by :mod:`grader.judge.session`."""

    def __init__(self, course: Course, exercises: tuple[Exercise, ...], jobs: Iterable[Job], slot: Slot,
                 hidden: bool, on_result: Callable[[SubmissionResult], None], engine: EngineName = "fast") -> None:
        self.course, self.exercises, self.jobs, self.slot, self.hidden = course, exercises, jobs, slot, hidden
        self.engine = engine  # for notebooks: "fast" (IPython in the runner) or "kernel" (nbclient)
        self.on_result = on_result
        self.collect_errors: list[str] = []
        self.error: CourseError | None = None
        self._student: Student | None = None
        self._public: set[pytest.Item] = set()  # items of the public check files

    # ---------------------------------------------------------------- pytest hooks

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(n): how many points the check is worth")
        config.addinivalue_line("markers", "hint(text): what a student who asks for hints is told when the check "
                                           "does not pass")

    @pytest.fixture
    def student(self) -> Student:
        """The submission's module for the exercise being graded."""
        assert self._student is not None, "the student fixture exists only while grading"
        return self._student

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path: Path, parent: pytest.Collector) -> pytest.Collector:
        """Every folder is a plain folder, never a package: an ``__init__.py`` beside the check files (a student's,
        when a checkout is checked in place) is not imported."""
        return pytest.Dir.from_parent(parent, path=path)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(self, module_path: Path, parent: pytest.Collector) -> pytest.Module:
        """Check files are imported on their own, outside any package (see :class:`CheckModule`)."""
        return CheckModule.from_parent(parent, path=module_path)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext.strip().splitlines()[-1:]}")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> TestReport | None:
        """Keep what the check raised; a failure's report skips formatting a traceback nobody reads."""
        exc = call.excinfo.value if call.excinfo else None
        item.stash.setdefault(EXC_KEY, {})[call.when] = exc
        if exc is None or isinstance(exc, pytest.skip.Exception) or call.when == "collect":
            return None  # pytest's own report
        return TestReport(item.nodeid, item.location, {}, "failed", type(exc).__name__, call.when,
                          duration=call.duration, start=call.start, stop=call.stop)

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        try:
            self._grade_all(session)
        except CourseError as exc:
            self.error = exc
        return True

    # ---------------------------------------------------------------- grading

    def _grade_all(self, session: pytest.Session) -> None:
        if self.collect_errors:
            raise CourseError("check files failed to load: " + "; ".join(self.collect_errors))
        by_file: dict[Path, list[pytest.Item]] = {}
        for item in session.items:
            by_file.setdefault(Path(str(item.path)).resolve(), []).append(item)
        items_of = {ex.name: [i for f in ex.check_files(self.hidden) for i in by_file.get(f.resolve(), [])]
                    for ex in self.exercises}
        self._public = {i for ex in self.exercises for i in by_file.get(ex.public_checks.resolve(), [])}
        for ex in self.exercises:
            self._check_markers(ex, items_of[ex.name])
        for job in self.jobs:
            started = time.monotonic()
            results = []
            for ex in job.exercises:
                items = items_of[ex.name]
                try:
                    results.append(self._grade_exercise(job.submission, ex, items))
                except Exception as exc:  # noqa: BLE001 - one exercise's grader failure must not lose the others
                    print(f"dlgrade: internal error grading {ex.name} of {job.submission.id!r}: {exc!r}",
                          file=sys.stderr)
                    results.append(ExerciseResult(ex.name, ex.title, self._max(ex, items), "crashed",
                                                  "the grader failed on this exercise; tell your instructor"))
            mode: Literal["grade", "check"] = "grade" if self.hidden else "check"
            self.on_result(SubmissionResult(job.submission.id, mode=mode, duration=time.monotonic() - started,
                                            notes=job.submission.notes, exercises=tuple(results)))

    def _check_markers(self, ex: Exercise, items: list[pytest.Item]) -> None:
        for item in items:
            if item.get_closest_marker("points") is None:
                raise CourseError(f"{item.nodeid}: every check needs @pytest.mark.points(n)")
            _hint(item)  # a malformed hint is the course's error, found before anything is graded
        if self.hidden:
            total = sum(_points(i) for i in items) + ex.forbidden_points
            if abs(total - ex.points) > 1e-9:
                raise CourseError(f"{ex.name}: checks are worth {total:g} points, the manifest says {ex.points:g}")

    def _max(self, ex: Exercise, items: list[pytest.Item]) -> float:
        return sum(_points(i) for i in items) + ex.forbidden_points

    def _grade_exercise(self, sub: Submission, ex: Exercise, items: list[pytest.Item]) -> ExerciseResult:
        started = time.monotonic()
        source = sub.files.get(ex.name)
        checks_off = self._all_failed(ex, items)
        if source is None:
            near = sub.near_misses.get(ex.name)
            message = f"no {ex.name}.py found" + (f"; did you mean {near}? Rename it to {ex.name}.py" if near else "")
            return ExerciseResult(ex.name, ex.title, self._max(ex, items), "missing", message, checks=checks_off)
        notebook = source.cells is not None  # a notebook's broken cells are reported per cell, not here
        problem = source.problem or (None if notebook else syntax_problem(source.text or "", source.name))
        if problem or source.text is None:
            return ExerciseResult(ex.name, ex.title, self._max(ex, items), "unreadable", problem or "",
                                  file=source.name, checks=checks_off)
        spec = RunnerSpec(ex.name, source.text, RunnerLimits(ex.memory_bytes, ex.processes), source.cells,
                          ex.check_time_limit, self.engine, source.helpers, ex.forbidden)
        run = ExerciseRun(self.slot, spec, ex.time_limit)
        checks: list[CheckResult] = []
        status: ExerciseStatus = "graded"
        message = ""
        try:
            try:
                run.runner()
            except LoadFailed as failed:
                status, message = failed.status, str(failed)
            for index, item in enumerate(items):
                checks.append(self._run_item(item, items[index + 1] if index + 1 < len(items) else None, run, ex))
        finally:
            run.stop()
            if items:  # checks skipped after a timeout left fixtures set up for them
                items[0].session._setupstate.teardown_exact(None)
        if status == "graded" and run.remaining() <= 0:
            status, message = "timeout", f"the exercise's time limit ({ex.time_limit:g} s) was reached"
        if ex.forbidden:
            checks.append(self._forbidden_check(ex, source.text, any(c.status == "passed" for c in checks),
                                                run.forbidden_called))
        return ExerciseResult(ex.name, ex.title, self._max(ex, items), status, message,
                              cell_notes=tuple(describe_cell(r) for r in run.cell_records), output=run.printed(),
                              file=source.name, duration=time.monotonic() - started, checks=tuple(checks))

    def _run_item(self, item: pytest.Item, nextitem: pytest.Item | None, run: ExerciseRun, ex: Exercise) -> CheckResult:
        hidden = item not in self._public
        name, points, hint = _title(item), _points(item), _hint(item)
        if run.remaining() <= 0:
            return CheckResult(name, points, "timeout", f"not run: the exercise's time limit ({ex.time_limit:g} s) "
                                                        "was used up by earlier checks", hidden, hint=hint)
        started = time.monotonic()
        self._student = Student(run, ex.check_time_limit, hidden)
        item.stash[EXC_KEY] = {}
        try:
            runtestprotocol(item, log=False, nextitem=nextitem)
        finally:
            self._student = None
        outcome = item.stash[EXC_KEY]
        exc = outcome.get("setup") or outcome.get("call")
        said = feedback_for(exc)
        return CheckResult(name, points, said.status, said.text, hidden, time.monotonic() - started, said.unattempted,
                           "" if said.status == "passed" else hint)

    def _forbidden_check(self, ex: Exercise, source: str, attempted: bool,
                         called: Iterable[tuple[str, ...]]) -> CheckResult:
        """Points for avoiding forbidden APIs, earned only with some working code (a stub gets zero).

        One verdict from two witnesses: the source's names (static) and the
        runner's tripwire (``called``: groups of names of one object that
        student code called, however it reached them). An API both saw is
        named once, with its lines.
        """
        uses = forbidden_uses(source, ex.forbidden)
        dynamic = _called_only(called, ex.forbidden, {use.api for use in uses})
        if not uses and not dynamic:
            if not attempted:
                return CheckResult("does not use forbidden APIs", ex.forbidden_points, "failed",
                                   "earned once at least one other check of this exercise passes", unattempted=True)
            return CheckResult("does not use forbidden APIs", ex.forbidden_points, "passed")
        lines: dict[str, list[str]] = {}
        for use in uses:
            lines.setdefault(use.api, []).append(str(use.line))
        named = [f"`{api}` ({'lines' if len(at) > 1 else 'line'} {', '.join(at)})" for api, at in lines.items()]
        listed = ", ".join(named + [f"`{api}` (called while your code ran)" for api in dynamic])
        return CheckResult("does not use forbidden APIs", ex.forbidden_points, "failed",
                           f"this exercise forbids {listed}; write it yourself")

    def _all_failed(self, ex: Exercise, items: list[pytest.Item]) -> tuple[CheckResult, ...]:
        checks = [CheckResult(_title(i), _points(i), "failed", "", i not in self._public) for i in items]
        if ex.forbidden:
            checks.append(CheckResult("does not use forbidden APIs", ex.forbidden_points, "failed"))
        return tuple(checks)


class CheckModule(pytest.Module):
    """A check file imported by itself under a name of its own: no parent package is imported (pytest's
    importlib mode runs every ``__init__.py`` above a file), and nothing is added to ``sys.path``."""

    def _getobj(self) -> types.ModuleType:
        name = "dlgrade_check_" + hashlib.sha256(str(self.path).encode()).hexdigest()[:16]
        spec = importlib.util.spec_from_file_location(name, self.path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        return module


def _called_only(called: Iterable[tuple[str, ...]], forbidden: tuple[str, ...], named: set[str]) -> list[str]:
    """The forbidden APIs student code called without naming them in the source (one name per object)."""
    found = set()
    for group in called:
        names = [name for name in group if name in forbidden]  # the runner is untrusted: only the manifest's names
        if names and not named.intersection(names):
            found.add(names[0])
    return sorted(found)


def _points(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 0.0


def _hint(item: pytest.Item) -> str:
    """The check's ``@pytest.mark.hint("...")`` ("" without one); ``CourseError`` unless it is one short string."""
    marker = item.get_closest_marker("hint")
    if marker is None:
        return ""
    text = marker.args[0] if len(marker.args) == 1 and not marker.kwargs else None
    if not isinstance(text, str) or not text.strip() or len(text) > HINT_LIMIT:
        raise CourseError(f"{item.nodeid}: a hint is one string of 1 to {HINT_LIMIT} characters: "
                          '@pytest.mark.hint("...")')
    return text.strip()


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if isinstance(doc, str) and doc.strip():
        return doc.strip().splitlines()[0].rstrip(".")
    return item.name.removeprefix("test_").replace("_", " ")
