"""Save-to-verdict latency of ``dlgrade check --watch`` on a light exercise.

``python -m benchmarks.watch_latency [--repeats N] [--exercise NAME]`` runs the
watch API in this process, as the CLI does, on a temporary folder holding the
exercise's stub, then saves the solution and the stub in turn, N times,
timing each save until its verdict reaches ``on_result`` (the terminal draws
it a few milliseconds later). Each latency is split into the watcher noticing
the save (save to ``on_start``) and the check (``on_start`` to the verdict),
and the check into the exercise itself (the runner's fork, the import of the
file and the checks: the result's ``duration``) and the rest (reading the
file and the judge's pytest session around it). Medians unless named ``max``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.classgen import ROOT, SOLUTIONS
from grader.course import load_course
from grader.grading import GradingSession
from grader.watch import Checked, watch

VERDICT_TIMEOUT = 60.0  # seconds for one verdict before the run is called broken


def measure_watch(repeats: int = 5, exercise: str = "text_clean") -> dict[str, float]:
    """Seconds: the session's start, the first check, and save-to-verdict latency over ``repeats`` saves."""
    course = load_course(ROOT / "course.toml")
    stub = course.exercise(exercise).directory / f"{exercise}.py"
    versions = [(SOLUTIONS / f"{exercise}.py").read_text(), stub.read_text()]  # full marks, then none
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{exercise}.py"
        target.write_text(versions[1])
        verdicts: list[tuple[float, Checked]] = []
        starts: list[float] = []
        arrived = threading.Condition()
        stop = threading.Event()
        saves: list[float] = []
        failure: list[str] = []

        def started(path: Path) -> None:
            starts.append(time.perf_counter())

        def done(checked: Checked) -> None:
            with arrived:
                verdicts.append((time.perf_counter(), checked))
                arrived.notify_all()

        def wait_for(count: int) -> bool:
            with arrived:
                return arrived.wait_for(lambda: len(verdicts) >= count, VERDICT_TIMEOUT)

        def saver() -> None:
            try:
                if not wait_for(1):
                    failure.append("no first verdict")
                    return
                for i in range(repeats):
                    time.sleep(0.3)  # the watch is idle again, as between a student's saves
                    saves.append(time.perf_counter())
                    target.write_text(versions[i % 2])
                    if not wait_for(2 + i):
                        failure.append(f"no verdict for save {i + 1}")
                        return
            finally:
                stop.set()

        opened = time.perf_counter()
        with GradingSession(course, hide=[Path(tmp)]) as session:
            ready = time.perf_counter()
            thread = threading.Thread(target=saver)
            thread.start()
            watch(session, Path(tmp), done, started, stop)
            thread.join()
    if failure:
        raise RuntimeError(f"watch benchmark: {failure[0]}")
    after = verdicts[1:]
    if len(after) != repeats:
        raise RuntimeError(f"watch benchmark: {len(after)} verdicts for {repeats} saves")
    for i, (_, checked) in enumerate(after):
        (result,) = checked.result.exercises
        expected = result.max_score if i % 2 == 0 else 0.0
        if result.score != expected:
            raise RuntimeError(f"watch benchmark: save {i + 1} scored {result.score:g}, expected {expected:g}")
    latency = [at - saved for (at, _), saved in zip(after, saves, strict=True)]
    notice = [start - saved for start, saved in zip(starts[1:], saves, strict=True)]
    check = [at - start for (at, _), start in zip(after, starts[1:], strict=True)]
    runner = [checked.result.exercises[0].duration for _, checked in after]
    return {
        "session_start_s": ready - opened,
        "first_check_s": verdicts[0][0] - ready,
        "median_s": statistics.median(latency),
        "max_s": max(latency),
        "notice_s": statistics.median(notice),
        "check_s": statistics.median(check),
        "exercise_s": statistics.median(runner),
        "judge_rest_s": statistics.median(c - r for c, r in zip(check, runner, strict=True)),
    }


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.watch_latency", description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="saves to time (default 5)")
    p.add_argument("--exercise", default="text_clean", help="the exercise saved (default text_clean)")
    args = p.parse_args(argv)
    numbers = measure_watch(args.repeats, args.exercise)
    print(f"dlgrade check --watch, {args.exercise}, {args.repeats} saves")
    for key, seconds in numbers.items():
        print(f"{key:16s} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
