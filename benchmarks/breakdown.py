"""Where dlgrade's time goes per exercise, measured from the judge's side without changing the engine.

``python -m benchmarks.breakdown CLASS_DIR``
grades the class with ``--jobs 1`` (``grade_all`` in this process) with timers wrapped around the judge's calls
into the sandbox: starting a runner (the zygote forks it), the first request
(the runner imports the student's module), every later request (a check's
call or probe, including the wire encoding on both sides), pytest's
per-check protocol around them, and stopping the runner (the zygote waits,
kills what is left and cleans the working folder). Prints milliseconds per
exercise for each part.

``python -m benchmarks.breakdown CLASS_DIR --layers [--repeat K]`` grades the
class 2K times, alternating runs with and without the optional layers
(``DLGRADE_DISABLE_LAYERS=seccomp,landlock``), and prints both columns side by
side, with what applying those layers costs a runner (done ahead of time, in
the spare runner, off the critical path).
"""

from __future__ import annotations

import argparse
import os
import statistics
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


def _instrument() -> None:
    """Wrap the timers around the judge's calls into the sandbox (once per process)."""
    from _pytest.reports import TestReport

    from grader.bulk.gradebook import Gradebook
    from grader.judge import plugin, student
    from grader.sandbox import slot

    _wrap(plugin.GradingPlugin, "_grade_exercise", "exercise (all of it)")
    _wrap(student.ExerciseRun, "runner", "start + module import (first request)", lambda self: self._runner is None)
    _wrap(slot.ForkSlot, "start", "  of which: fork request to the zygote")
    _wrap(slot.Runner, "request", "requests (import and checks)")
    _wrap(plugin, "runtestprotocol", "pytest protocol per check (requests included)")
    _wrap(slot.ForkSlot, "stop", "stop (zygote waits, kills, cleans)")
    _wrap(plugin.GradingPlugin, "_forbidden_check", "forbidden-API static check")
    _wrap(Gradebook, "save", "gradebook: one student's transaction (per exercise)")
    _wrap(TestReport, "from_item_and_call", "pytest building its reports (passed checks)")


def _grade(class_dir: Path) -> tuple[int, float, dict[str, float]]:
    """Grade the class once (``--jobs 1``): students, seconds, milliseconds per exercise for each part."""
    from benchmarks.classgen import ROOT
    from grader.bulk import grade_all as bulk
    from grader.course import load_course

    TOTALS.clear()
    COUNTS.clear()
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        run = bulk.grade_all(load_course(ROOT / "course.toml"), class_dir, Path(out), jobs=1, force=True)
        wall = time.perf_counter() - started
    exercises = COUNTS["exercise (all of it)"] or 1
    return len(run.graded), wall, {key: 1000 * total / exercises for key, total in TOTALS.items()}


def _layer_setup_ms(rounds: int = 20) -> float:
    """Milliseconds a forked process takes to apply Landlock and seccomp (median of ``rounds``)."""
    import torch

    import grader
    from grader.sandbox.layers.base import Setting
    from grader.sandbox.layers.landlock import Landlock
    from grader.sandbox.layers.libc import PR_SET_NO_NEW_PRIVS, prctl
    from grader.sandbox.layers.seccomp import Seccomp

    keep = [Path(sys.prefix), Path(sys.base_prefix), Path(torch.__file__).parent.parent, Path(grader.__file__).parent]
    setting = Setting("fork", [], keep, workdir=Path(tempfile.gettempdir()))
    extras = [Landlock(), Seccomp()]
    for layer in extras:
        layer.in_force = layer.setup(setting)[0]
    times = []
    for _ in range(rounds):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            started = time.perf_counter()
            prctl(PR_SET_NO_NEW_PRIVS, 1)
            for layer in extras:
                layer.apply(setting)
            os.write(write, str(time.perf_counter() - started).encode())
            os._exit(0)
        os.close(write)
        times.append(float(os.read(read, 64)))
        os.close(read)
        os.waitpid(pid, 0)
    return 1000 * statistics.median(times)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.breakdown", description=__doc__.splitlines()[0])
    parser.add_argument("class_dir", type=Path)
    parser.add_argument("--layers", action="store_true", help="with and without seccomp and Landlock, side by side")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind, alternating (with --layers)")
    args = parser.parse_args(argv)
    _instrument()
    if not args.layers:
        students, wall, parts = _grade(args.class_dir)
        print(f"{students} students, {COUNTS['exercise (all of it)']} exercises, grade_all {wall:.1f} s")
        for key, ms in parts.items():
            print(f"{key:50s} {ms:8.1f} ms/exercise  ({COUNTS[key]} calls)")
        return
    runs: dict[str, list[tuple[float, dict[str, float]]]] = {"without": [], "with": []}
    for round_ in range(args.repeat):
        for kind in sorted(runs, reverse=round_ % 2 == 1):  # the first run of a pair alternates too
            if kind == "without":
                os.environ["DLGRADE_DISABLE_LAYERS"] = "seccomp,landlock"
            else:
                os.environ.pop("DLGRADE_DISABLE_LAYERS", None)
            students, wall, parts = _grade(args.class_dir)
            runs[kind].append((wall, parts))
    os.environ.pop("DLGRADE_DISABLE_LAYERS", None)
    exercises = COUNTS["exercise (all of it)"]
    print(f"{students} students, {exercises} exercises, {args.repeat} run(s) each, alternating; medians")
    print(f"{'ms per exercise':50s} {'without':>9s} {'with':>9s} {'change':>9s}   (seccomp and Landlock)")
    keys = list(runs["with"][0][1])
    rows = [("grade_all wall s (not per exercise)", [w for w, _ in runs["without"]], [w for w, _ in runs["with"]])]
    rows += [(key, [p.get(key, 0.0) for _, p in runs["without"]], [p.get(key, 0.0) for _, p in runs["with"]])
             for key in keys]
    for key, off, on in rows:
        a, b = statistics.median(off), statistics.median(on)
        print(f"{key:50s} {a:9.1f} {b:9.1f} {b - a:+9.1f}")
    print(f"{'applying Landlock + seccomp in a forked runner (ahead of time)':50s} {'':9s} "
          f"{_layer_setup_ms():9.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
