"""Run one pytest session over the course's check files for a list of jobs."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from grader.course import Course, Exercise
from grader.exceptions import CourseError
from grader.judge.plugin import GradingPlugin, Job
from grader.results import SubmissionResult
from grader.sandbox.slot import Slot
from grader.sandbox.spec import EngineName

JUDGE_INI = Path(__file__).with_name("judge.ini")
PYTEST_ARGS = [
    "-p", "no:cacheprovider",
    "-p", "no:terminal",
    "-p", "no:logging",
    "-p", "no:unraisableexception",  # its forced garbage collection at session end costs about a second
    "--import-mode=importlib",  # check files in different folders may share a name
    "--noconftest",  # check files are self-contained; a conftest.py beside them may be a student's
    "--assert=plain",  # assertion rewriting would put expected values into messages
    "-o", "python_files=*.py",
    "--strict-markers",
]


@contextlib.contextmanager
def _isolated_pytest_env() -> Iterator[None]:
    """No third-party plugins, no PYTEST_ADDOPTS, and no assertion rewriting by an enclosing pytest.

    A rewritten ``assert`` appends the compared values (expected ones too) to
    its message, which is the student's feedback; when dlgrade itself runs
    under pytest, that pytest's import hook must not touch the check files.
    """
    rewriters = [hook for hook in sys.meta_path if type(hook).__name__ == "AssertionRewritingHook"]
    for hook in rewriters:
        sys.meta_path.remove(hook)
    saved = {k: os.environ.get(k) for k in ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ.pop("PYTEST_ADDOPTS", None)
    os.environ.pop("PYTEST_PLUGINS", None)
    try:
        yield
    finally:
        sys.meta_path[:0] = rewriters
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _forget_modules(files: list[str]) -> None:
    """Drop check modules imported earlier in this process: they may have been built by another
    import hook (an enclosing pytest's assertion rewriting), and importlib mode would reuse them."""
    wanted = {str(Path(f).resolve()) for f in files}
    basenames = {os.path.basename(f) for f in [*files, *wanted]}  # resolving every module's path costs ~0.1 s
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.basename(path) in basenames and str(Path(path).resolve()) in wanted:
            del sys.modules[name]


def run_checks(course: Course, exercises: tuple[Exercise, ...], jobs: Iterable[Job], slot: Slot, hidden: bool,
               on_result: Callable[[SubmissionResult], None], engine: EngineName = "fast") -> None:
    """Grade every job (each grades a subset of ``exercises``); ``on_result`` gets each result when it is done.

    ``jobs`` may be a lazy iterator (a work queue shared by several judges). pytest runs with
    ``sys.stdout`` redirected (what it prints is kept for the error message), but ``on_result``
    runs with the caller's stdout.
    """
    files = sorted({str(f) for ex in exercises for f in ex.check_files(hidden)})
    if not files:
        return
    stdout = sys.stdout

    def deliver(result: SubmissionResult) -> None:
        with contextlib.redirect_stdout(stdout):
            on_result(result)

    plugin = GradingPlugin(course, exercises, jobs, slot, hidden, deliver, engine)
    args = [*PYTEST_ARGS, "-c", str(JUDGE_INI), "--rootdir", str(course.root), *files]
    _forget_modules(files)
    out = io.StringIO()
    with _isolated_pytest_env(), contextlib.redirect_stdout(out):
        code = pytest.main(args, plugins=[plugin])
    if plugin.error is not None:
        raise plugin.error
    if code == pytest.ExitCode.INTERRUPTED and not plugin.collect_errors:
        raise KeyboardInterrupt  # Ctrl-C reached a check: pytest caught it, the caller decides what it means
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise CourseError(f"the check session failed ({code!r}): {out.getvalue()[-2000:]}")
