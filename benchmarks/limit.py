"""The limit: the same checks in one warm interpreter, timed per exercise, plus a bare fork of it.

Run as ``python -m benchmarks.limit CLASS_DIR OUT.json``. The interpreter
imports what dlgrade's warm runner parent holds (numpy, PIL, torch,
torchvision, an IPython shell) and every check file once. Then, per student,
it forks one child (so a student who segfaults or calls ``os._exit`` loses
only their own remaining exercises, which a fresh child picks up) that, per
exercise, seeds every RNG, imports the student's module and calls each check
function directly with an :class:`~benchmarks.inproc.InProcessStudent`: no
pytest, no sockets, no sandbox. A check is cut off after the course's check
time limit (SIGALRM), like dlgrade's.

It also measures a bare ``fork()``, ``_exit(0)`` in the child, ``waitpid`` in
the parent, of this process: what dlgrade pays at least once per exercise.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FORK_SAMPLES = 40


def rss_bytes(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def bare_fork_seconds(samples: int = FORK_SAMPLES) -> list[float]:
    """fork, exit in the child, reap in the parent: wall seconds of each."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        times.append(time.perf_counter() - started)
    return times


def _seed() -> None:
    import numpy as np
    import torch

    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)


def _grade_in_child(folder: Path, exercises: list[Any], start: int, out_fd: int) -> None:
    """In a forked child: grade exercises[start:], one JSON line per exercise on ``out_fd``."""
    from benchmarks.inproc import InProcessStudent, alarm, load_module

    work = tempfile.mkdtemp(prefix="bench-limit-")
    os.chdir(work)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    for ex in exercises[start:]:
        os.write(out_fd, (json.dumps({"begin": ex["name"]}) + "\n").encode())
        _seed()
        score, statuses = 0.0, []
        started = time.perf_counter()
        try:
            with alarm(ex["time_limit"]):
                module = load_module(folder, ex["name"], ex["check_time_limit"])
        except BaseException as exc:  # noqa: BLE001 - the import failed: every check fails
            module, statuses = None, [f"import: {type(exc).__name__}"]
        imported = time.perf_counter()
        if module is not None:
            student = InProcessStudent(module)
            for _name, fn, points in ex["checks"]:
                try:
                    with alarm(ex["check_time_limit"]):
                        fn(student)
                    score += points
                    statuses.append("passed")
                except BaseException as exc:  # noqa: BLE001
                    statuses.append(type(exc).__name__)
        done = time.perf_counter()
        line = {"name": ex["name"], "import": imported - started, "checks": done - imported, "score": score,
                "statuses": statuses}
        os.write(out_fd, (json.dumps(line) + "\n").encode())
    os._exit(0)


def grade_student(folder: Path, exercises: list[Any]) -> list[dict[str, Any]]:
    """Every exercise of one student; a child that dies is replaced for the remaining exercises."""
    results: list[dict[str, Any]] = []
    start = 0
    while start < len(exercises):
        read_fd, write_fd = os.pipe()
        began = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _grade_in_child(folder, exercises, start, write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        last = began
        buffer = b""
        with os.fdopen(read_fd, "rb") as reader:
            for raw in reader:
                buffer = raw
                doc = json.loads(raw)
                if "begin" in doc:
                    last = time.perf_counter()
                    continue
                results.append(doc)
                start += 1
        os.waitpid(pid, 0)
        if start < len(exercises):  # the child died inside an exercise: charge the time it ran
            name = exercises[start]["name"]
            crashed = json.loads(buffer).get("begin") == name if buffer else False
            results.append({"name": name, "import": 0.0, "checks": time.perf_counter() - last if crashed else 0.0,
                            "score": 0.0, "statuses": ["process died"]})
            start += 1
    return results


def main(argv: list[str]) -> None:
    class_dir, out = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    only = argv[2].split(",") if len(argv) > 2 and argv[2] else None
    t0 = time.perf_counter()
    import numpy  # noqa: F401 - what dlgrade's warm parent holds
    import PIL.Image  # noqa: F401
    import torch
    import torchvision  # noqa: F401

    torch.set_num_threads(1)
    from benchmarks.classgen import ROOT
    from benchmarks.inproc import load_checks
    from grader.course import load_course
    from grader.sandbox.notebook_runner import new_shell

    new_shell()
    course = load_course(ROOT / "course.toml")
    exercises = [{"name": ex.name, "time_limit": ex.time_limit, "check_time_limit": ex.check_time_limit,
                  "checks": [c for f in ex.check_files(True) for c in load_checks(f)]}
                 for ex in course.exercises]
    startup = time.perf_counter() - t0
    forks = bare_fork_seconds()
    students = sorted(p for p in class_dir.iterdir() if p.is_dir())
    if only:
        students = [p for p in students if p.name in only]
    report: dict[str, Any] = {"startup": startup, "fork_samples": forks, "fork_median": statistics.median(forks),
                              "rss": rss_bytes(), "students": {}}
    started = time.perf_counter()
    for folder in students:
        report["students"][folder.name] = grade_student(folder, exercises)
    report["wall"] = time.perf_counter() - started
    out.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
