"""The naive baseline: one fresh ``python -m pytest`` per student, ``jobs`` at a time.

Each process starts an interpreter, imports pytest, torch and torchvision
(through the check files), collects the public and hidden check files of all
nine exercises and runs them against the student's modules in-process
(:mod:`benchmarks.naive_plugin`), with the course's per-check time limit.
A wall-clock limit per student (``STUDENT_TIMEOUT``) ends a process that hangs anyway.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.classgen import ROOT

STUDENT_TIMEOUT = 600.0


@dataclass
class NaiveRun:
    n: int
    jobs: int
    wall: float
    per_student_process: list[float] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # students whose pytest died or hung: no result at all
    timed_out: list[str] = field(default_factory=list)

    @property
    def per_student(self) -> float:
        return self.wall / max(self.n, 1)


def check_files() -> list[str]:
    from grader.course import load_course

    return [str(f) for ex in load_course(ROOT / "course.toml").exercises for f in ex.check_files(True)]


def _one(student: Path, files: list[str], ini: Path, work: Path) -> tuple[str, float, dict[str, float] | None, str]:
    out = work / f"{student.name}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(ROOT)
    env["OMP_NUM_THREADS"] = "1"  # as dlgrade's runners: one thread each, two jobs on two cores
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "benchmarks.naive_plugin",
           "-c", str(ini), "--rootdir", str(ROOT), "--import-mode=importlib", "--student-dir", str(student),
           "--bench-json", str(out), *files]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-naive-") as cwd:
        try:
            subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=STUDENT_TIMEOUT, check=False)
            status = "ok"
        except subprocess.TimeoutExpired:
            status = "timeout"
    wall = time.perf_counter() - started
    scores = json.loads(out.read_text())["scores"] if out.exists() else None
    return student.name, wall, scores, status


def run_naive(class_dir: Path, jobs: int, work: Path) -> NaiveRun:
    work.mkdir(parents=True, exist_ok=True)
    ini = work / "pytest.ini"
    ini.write_text("[pytest]\n")
    files = check_files()
    students = sorted(p for p in class_dir.iterdir() if p.is_dir())
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        done = list(pool.map(lambda s: _one(s, files, ini, work), students))
    run = NaiveRun(len(students), jobs, time.perf_counter() - started)
    for sid, wall, scores, status in done:
        run.per_student_process.append(wall)
        if status == "timeout":
            run.timed_out.append(sid)
        if scores is None:
            run.lost.append(sid)
        else:
            run.scores[sid] = scores
    return run
