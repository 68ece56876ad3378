"""Local ``grade-all --jobs 2`` against a two-worker Dask ``LocalCluster`` (``--scheduler local:2``).

Both are the real command on the same class (``benchmarks.classgen``, no hostile students). The wall time
is the whole command; the grading phase is read from the gradebook (``runs.started`` to ``runs.finished``:
from the first judge ready to the last student committed), so the per-student overhead that Dask adds is
the difference of the grading phases over N: task submission, the submission's bytes and the result
document crossing the scheduler, and the instructor's process turning futures back into results. Start-up
(the cluster, a fresh interpreter per worker judge) is the rest of the wall time.

    python -m benchmarks.cluster --n 100
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.classgen import make_classes

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 3600  # seconds for one command


def _grade_all(class_dir: Path, out: Path, how: list[str]) -> dict[str, Any]:
    """One timed ``dlgrade grade-all --force`` with ``how`` (``--jobs 2`` or ``--scheduler local:2``)."""
    exe = str(Path(sys.executable).with_name("dlgrade"))
    started = time.perf_counter()
    proc = subprocess.run([exe, "grade-all", str(class_dir), "--out", str(out), "--force", *how], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(how)} exited {proc.returncode}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    db = sqlite3.connect(out / "gradebook.sqlite")
    try:
        begun, finished = db.execute("SELECT started, finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        scores = dict(db.execute("SELECT id, score FROM students"))
    finally:
        db.close()
    grading = (finished or begun) - begun
    return {"wall": wall, "grading": grading, "startup": wall - grading, "per_student": grading / max(len(scores), 1),
            "scores": scores}


def measure(work: Path, n: int, seed: int) -> dict[str, Any]:
    """Grade a class of ``n`` both ways; wall, grading phase, start-up and per-student times, and Dask's overhead."""
    class_dir = Path(make_classes([n], work, seed, hostile=False)[n].folder)
    local = _grade_all(class_dir, work / "out-local", ["--jobs", "2"])
    dask = _grade_all(class_dir, work / "out-dask", ["--scheduler", "local:2"])
    same = local.pop("scores") == dask.pop("scores")
    return {"n": n, "seed": seed, "local_jobs_2": local, "dask_local_2": dask, "same_scores": same,
            "dask_overhead_per_student": (dask["grading"] - local["grading"]) / n,
            "dask_overhead_wall_per_student": (dask["wall"] - local["wall"]) / n}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="students in the class (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the class and the outputs (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.work:
        print(json.dumps(measure(args.work, args.n, args.seed), indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="dlgrade-bench-cluster-") as tmp:
        print(json.dumps(measure(Path(tmp), args.n, args.seed), indent=2))


if __name__ == "__main__":
    main()
