"""What the peers' hidden test cells call: one of dlgrade's check functions on the notebook's namespace.

nbgrader's hidden test cells and otter's test cases run in the student's
kernel, so the check sees the notebook's globals in-process (that is how
those graders work); the checks themselves are the same functions dlgrade runs.
"""

from __future__ import annotations

import types
from typing import Any

from benchmarks.inproc import InProcessStudent, load_checks

_checks: dict[str, dict[str, Any]] = {}


def checks_of(exercise: str) -> dict[str, tuple[Any, float]]:
    """``{check name: (function, points)}`` for an exercise's public and hidden checks."""
    from benchmarks.classgen import ROOT
    from grader.course import load_course

    if exercise not in _checks:
        ex = load_course(ROOT / "course.toml").exercise(exercise)
        _checks[exercise] = {name: (fn, pts) for f in ex.check_files(True) for name, fn, pts in load_checks(f)}
    return _checks[exercise]


def run_check(env: dict[str, Any], exercise: str, check: str) -> None:
    """Run one check against the names the notebook defined; raises AssertionError when it fails."""
    module = types.SimpleNamespace(**{k: v for k, v in env.items() if not k.startswith("__")})
    fn, _ = checks_of(exercise)[check]
    fn(InProcessStudent(module))  # type: ignore[arg-type]
