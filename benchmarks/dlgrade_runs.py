"""dlgrade itself, as an instructor runs it: ``dlgrade grade-all CLASS --out OUT --jobs J --force``.

The wall time is the whole command (interpreter start, ``import torch``, the
sandbox slots, the class read, grading, and the CSV/feedback/report exports).
The grading phase is read from the gradebook the run wrote: ``runs.started``
to ``runs.finished`` (every student graded and committed). Per exercise, the
gradebook holds dlgrade's own timings: the exercise (fork, import, checks,
teardown) and each check (as the judge waited for it).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.memory import TreeSampler

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_CHECK = "does not use forbidden APIs"  # static, dlgrade only: left out when scores are compared


@dataclass
class DlgradeRun:
    n: int
    jobs: int
    wall: float
    grading: float
    peak_rss: int
    peak_pss: int
    peak_procs: int
    returncode: int
    students: int
    cpu: float = 0.0  # busy CPU seconds of the whole machine during the command (nothing else runs)
    cpu_sys: float = 0.0  # of which in the kernel (fork, exit, page faults)
    exercise_seconds: dict[str, list[float]] = field(default_factory=dict)  # per exercise name
    check_seconds: dict[str, list[float]] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> exercise -> score
    check_scores: dict[str, dict[str, float]] = field(default_factory=dict)  # the same, without forbidden-API points
    student_seconds: dict[str, float] = field(default_factory=dict)  # dlgrade's own time per student
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def per_student(self) -> float:
        return self.grading / max(self.students, 1)


def dlgrade_exe() -> str:
    return str(Path(sys.executable).with_name("dlgrade"))


def run_grade_all(class_dir: Path, out: Path, jobs: int, n: int, log: Path) -> DlgradeRun:
    """One timed ``grade-all`` with the process tree's memory sampled."""
    if out.exists():
        import shutil

        shutil.rmtree(out)
    cpu_before = machine_cpu()
    started = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen([dlgrade_exe(), "grade-all", str(class_dir), "--out", str(out), "--jobs", str(jobs),
                                 "--force"], cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
        with TreeSampler(proc.pid) as mem:
            code = proc.wait()
    wall = time.perf_counter() - started
    busy, kernel = (after - before for after, before in zip(machine_cpu(), cpu_before, strict=True))
    run = DlgradeRun(n, jobs, wall, 0.0, mem.peak_rss, mem.peak_pss, mem.peak_procs, code, 0, busy, kernel)
    read_gradebook(out / "gradebook.sqlite", run)
    return run


def machine_cpu() -> tuple[float, float]:
    """(busy, kernel) CPU seconds of the whole machine so far, from /proc/stat.

    The descendants of a grading run are reaped in other PID namespaces, so
    ``getrusage(RUSAGE_CHILDREN)`` misses most of them; the benchmark runs
    nothing else meanwhile, so the machine's counters are the run's.
    """
    import os

    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    kernel = fields[2] + sum(fields[5:7])
    return (sum(fields[:8]) - idle) / tick, kernel / tick


def read_gradebook(path: Path, run: DlgradeRun) -> None:
    if not path.exists():
        return
    db = sqlite3.connect(path)
    try:
        started, finished = db.execute("SELECT started, finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        run.grading = (finished or started) - started
        run.students = db.execute("SELECT count(*) FROM students").fetchone()[0]
        for student, name, score, status, duration in db.execute(
                "SELECT student_id, name, score, status, duration FROM exercises"):
            run.exercise_seconds.setdefault(name, []).append(duration)
            run.scores.setdefault(student, {})[name] = score
            run.statuses[status] = run.statuses.get(status, 0) + 1
        for name, total in db.execute("SELECT exercise, sum(duration) FROM checks GROUP BY student_id, exercise"):
            run.check_seconds.setdefault(name, []).append(total)
        for student, name, score in db.execute(
                "SELECT student_id, exercise, sum(score) FROM checks WHERE name != ? GROUP BY student_id, exercise",
                (FORBIDDEN_CHECK,)):
            run.check_scores.setdefault(student, {})[name] = score
        for student, duration in db.execute("SELECT id, duration FROM students"):
            run.student_seconds[student] = duration
    finally:
        db.close()


def grade_json(paths: list[Path], out: Path, extra: list[str], log: Path) -> tuple[float, list[dict[str, Any]]]:
    """``dlgrade grade PATHS --json OUT``: wall seconds and the results."""
    import json

    started = time.perf_counter()
    with log.open("w") as fh:
        subprocess.run([dlgrade_exe(), "grade", *map(str, paths), "--json", str(out), *extra], cwd=ROOT,
                       stdout=fh, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - started
    data = json.loads(out.read_text()) if out.exists() else []
    return wall, data if isinstance(data, list) else [data]
