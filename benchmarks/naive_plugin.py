"""pytest plugin of the naive baseline: the hidden checks against one student's modules, in-process.

What a course would script without dlgrade: ``python -m pytest -p
benchmarks.naive_plugin --student-dir DIR <check files>``, one fresh process
per student. The ``student`` fixture imports the student's module for the
check's exercise (once per process) and calls it directly; each check gets
the course's check time limit through SIGALRM (what ``pytest-timeout``'s
signal method does). The scores go to ``--bench-json``. A student whose code
ends the process (``os._exit``, a segfault) ends this pytest too: no result.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.inproc import InProcessStudent, alarm, load_module

_exercise_of: dict[Path, str] = {}
_limits: dict[str, tuple[float, float]] = {}
_modules: dict[str, Any] = {}
_scores: dict[str, float] = {}
_outcomes: dict[str, list[str]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("naive baseline")
    group.addoption("--student-dir", help="the student's folder")
    group.addoption("--bench-json", help="write the scores here")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): how many points the check is worth")
    from benchmarks.classgen import ROOT
    from grader.course import load_course

    for ex in load_course(ROOT / "course.toml").exercises:
        _limits[ex.name] = (ex.time_limit, ex.check_time_limit)
        for f in ex.check_files(True):
            _exercise_of[f.resolve()] = ex.name
    config._bench_started = time.perf_counter()  # type: ignore[attr-defined]


@pytest.fixture
def student(request: pytest.FixtureRequest) -> InProcessStudent:
    name = _exercise_of[Path(str(request.path)).resolve()]
    if name not in _modules:
        import numpy as np
        import torch

        random.seed(0)
        np.random.seed(0)
        torch.manual_seed(0)
        folder = Path(request.config.getoption("--student-dir"))
        try:
            with alarm(_limits[name][0]):
                _modules[name] = load_module(folder, name, _limits[name][1])
        except BaseException as exc:  # noqa: BLE001 - recorded; every check of the exercise fails
            _modules[name] = exc
    module = _modules[name]
    if isinstance(module, BaseException):
        pytest.fail(f"importing {name} failed: {type(module).__name__}: {module}", pytrace=False)
    return InProcessStudent(module)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    name = _exercise_of.get(Path(str(item.path)).resolve())
    with alarm(_limits[name][1] if name else 0):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    name = _exercise_of.get(Path(str(item.path)).resolve())
    if name and (call.when == "call" or (call.when == "setup" and report.failed)):
        marker = item.get_closest_marker("points")
        points = float(marker.args[0]) if marker else 0.0
        _scores[name] = _scores.get(name, 0.0) + (points if report.passed else 0.0)
        _outcomes.setdefault(name, []).append(report.outcome)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    out = session.config.getoption("--bench-json")
    if out:
        started = getattr(session.config, "_bench_started", time.perf_counter())
        Path(out).write_text(json.dumps({"scores": _scores, "outcomes": _outcomes,
                                         "session": time.perf_counter() - started}))
