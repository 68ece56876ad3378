"""Where dlgrade's time goes per exercise, measured from the judge's side without changing the engine.

``python -m benchmarks.breakdown CLASS_DIR``
grades the class with ``--jobs 1`` (``grade_all`` in this process) with timers wrapped around the judge's calls
into the sandbox: starting a runner (the zygote forks it), the first request
(the runner imports the student's module), every later request (a check's
call or probe, including the wire encoding on both sides), pytest's
per-check protocol around them, and stopping the runner (the zygote waits,
kills what is left and cleans the working folder). Prints milliseconds per
exercise for each part.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOTALS: dict[str, float] = defaultdict(float)
COUNTS: Counter[str] = Counter()


def _wrap(owner: Any, name: str, key: str, when: Callable[..., bool] | None = None) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if when is not None and not when(*args, **kwargs):
            return original(*args, **kwargs)
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TOTALS[key] += time.perf_counter() - started
            COUNTS[key] += 1

    setattr(owner, name, timed)


def main(argv: list[str]) -> None:
    from benchmarks.classgen import ROOT
    from grader.bulk import grade_all as bulk
    from grader.course import load_course
    from grader.judge import plugin, student
    from grader.sandbox import slot

    course = load_course(ROOT / "course.toml")
    _wrap(plugin.GradingPlugin, "_grade_exercise", "exercise (all of it)")
    _wrap(student.ExerciseRun, "runner", "start + module import (first request)", lambda self: self._runner is None)
    _wrap(slot.ForkSlot, "start", "  of which: fork request to the zygote")
    _wrap(slot.Runner, "request", "requests (import and checks)")
    _wrap(plugin, "runtestprotocol", "pytest protocol per check (requests included)")
    _wrap(slot.ForkSlot, "stop", "stop (zygote waits, kills, cleans)")
    _wrap(plugin.GradingPlugin, "_forbidden_check", "forbidden-API static check")
    from _pytest.reports import TestReport

    from grader.bulk.gradebook import Gradebook

    _wrap(Gradebook, "save", "gradebook: one student's transaction (per exercise)")

    _wrap(TestReport, "from_item_and_call", "pytest building its reports (passed checks)")
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        run = bulk.grade_all(course, Path(argv[0]), Path(out), jobs=1, force=True)
        wall = time.perf_counter() - started
    exercises = COUNTS["exercise (all of it)"] or 1
    print(f"{len(run.graded)} students, {exercises} exercises, grade_all {wall:.1f} s")
    for key, total in TOTALS.items():
        print(f"{key:50s} {1000 * total / exercises:8.1f} ms/exercise  ({COUNTS[key]} calls)")


if __name__ == "__main__":
    main(sys.argv[1:])
