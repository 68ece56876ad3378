"""``python -m benchmarks``: dlgrade against the naive baseline, the in-process limit and the peers, in one run.

Options: ``--n 25,50,100`` (class sizes), ``--quick`` (two students, no
hostile ones, no notebooks, no peers, a ``--jobs 1,2`` sweep: the smoke test), ``--no-peers``,
``--no-notebooks``, ``--baseline-n`` (class size for the naive baseline,
default the smallest N: its cost per student does not depend on N),
``--peer-n`` / ``--otter-n`` (students for nbgrader / otter),
``--sweep-jobs`` / ``--sweep-n`` (the ``--jobs`` sweep, :mod:`benchmarks.scaling`;
``--sweep-n 0`` skips it), ``--cluster-n`` (local ``--jobs 2`` against a
two-worker Dask LocalCluster, :mod:`benchmarks.cluster`, default 100; 0, or
``--quick``, skips it), ``--seed``, ``--work`` (default ``benchmarks/.work``). The table
is printed and written to ``WORK/latest.md``, the raw numbers to
``WORK/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.classgen import ROOT, make_classes
from benchmarks.scaling import default_jobs, parse_jobs


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--n", default="25,50,100", help="class sizes, comma-separated (default 25,50,100)")
    p.add_argument("--quick", action="store_true", help="tiny class, no hostile students, no notebooks or peers")
    p.add_argument("--no-peers", action="store_true", help="skip nbgrader and otter")
    p.add_argument("--no-notebooks", action="store_true", help="skip the notebook engines")
    p.add_argument("--baseline-n", type=int, default=None, help="class size for the naive baseline")
    p.add_argument("--peer-n", type=int, default=20, help="students for nbgrader (one of them endless)")
    p.add_argument("--otter-n", type=int, default=5, help="students for otter (one of them endless)")
    p.add_argument("--peer-timeout", type=float, default=60.0, help="wall-clock limit of one peer run per student")
    p.add_argument("--sweep-jobs", type=parse_jobs, default=None,
                   help="--jobs values of the sweep, comma-separated (default 1, 2, 4, ... past the cores; quick: 1,2)")
    p.add_argument("--sweep-n", type=int, default=None,
                   help="students in the --jobs sweep (default 48, quick 2; 0 skips)")
    p.add_argument("--cluster-n", type=int, default=None,
                   help="students for the Dask LocalCluster comparison (default 100, quick 2; 0 skips)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work")
    return p.parse_args(argv)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    import subprocess

    import torch

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "grader"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        commit = (commit + (" + uncommitted engine changes" if dirty else "")) or "unknown"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return {"commit": commit, "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem / 2**30, 1),
            "python": platform.python_version(), "torch": torch.__version__, "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cluster_comparison(work: Path, n: int, seed: int) -> dict[str, Any]:
    """``benchmarks.cluster.measure`` (local ``--jobs 2`` against a Dask LocalCluster), or why it failed."""
    from benchmarks import cluster  # here: dask.distributed takes a second to import

    say(f"Dask LocalCluster (two workers) against --jobs 2, N={n}")
    try:
        return {"n": n, "measured": cluster.measure(work, n, seed)}
    except Exception as exc:  # noqa: BLE001 - a failed comparison is reported, the rest of the run still is
        say(f"  failed: {type(exc).__name__}: {exc}")
        return {"n": n, "skipped": f"failed: {type(exc).__name__}: {exc}"}


def main(argv: list[str] | None = None) -> int:
    from benchmarks import dlgrade_runs, naive, report

    args = parse(sys.argv[1:] if argv is None else argv)
    # dlgrade turns on torch's huge pages for large tensors in its runners (grader/sandbox/template.py); every
    # other run gets the same allocator, so the ratios compare ways of grading, not allocator settings.
    os.environ["THP_MEM_ALLOC_ENABLE"] = "1"
    sizes = [2] if args.quick else sorted({int(x) for x in args.n.split(",") if x.strip()})
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick, "sizes": sizes,
                               "allocator": "THP_MEM_ALLOC_ENABLE=1 for every run"}
    started = time.perf_counter()

    say(f"generating classes {sizes} (seed {args.seed})")
    classes = make_classes(sizes, work, args.seed, hostile=not args.quick)
    results["classes"] = {n: c.counts() for n, c in classes.items()}
    results["kinds"] = {s.id: s.kind for s in classes[max(sizes)].students}

    runs = []
    for n in sizes:
        for jobs in (1, 2):
            say(f"dlgrade grade-all N={n} --jobs {jobs}")
            run = dlgrade_runs.run_grade_all(Path(classes[n].folder), work / f"out-{n}-j{jobs}", jobs, n,
                                             work / f"dlgrade-{n}-j{jobs}.log")
            say(f"  wall {run.wall:.1f} s, grading {run.grading:.1f} s, {run.per_student:.2f} s/student")
            runs.append(run)
    results["dlgrade"] = [asdict(r) for r in runs]

    say(f"in-process limit on N={max(sizes)}")
    limit_out = work / "limit.json"
    import subprocess

    cpu_before = dlgrade_runs.machine_cpu()
    subprocess.run([sys.executable, "-m", "benchmarks.limit", classes[max(sizes)].folder, str(limit_out)], cwd=ROOT,
                   check=True)
    results["limit"] = json.loads(limit_out.read_text())
    busy, kernel = (a - b for a, b in zip(dlgrade_runs.machine_cpu(), cpu_before, strict=True))
    results["limit"]["cpu"], results["limit"]["cpu_sys"] = busy, kernel

    nb_n = args.baseline_n or min(sizes)
    if nb_n not in classes:
        classes.update(make_classes([nb_n], work / "baseline", args.seed, hostile=not args.quick))
    naive_runs = []
    for jobs in ((2,) if args.quick else (1, 2)):
        say(f"naive baseline N={nb_n} --jobs {jobs} (one fresh pytest per student)")
        run = naive.run_naive(Path(classes[nb_n].folder), jobs, work / f"naive-{nb_n}-j{jobs}")
        say(f"  wall {run.wall:.1f} s, {run.per_student:.2f} s/student, lost {len(run.lost)}")
        naive_runs.append(run)
    results["naive"] = [asdict(r) for r in naive_runs]

    sweep_n = args.sweep_n if args.sweep_n is not None else (2 if args.quick else 48)
    results["sweep"] = None
    if sweep_n > 0:
        from benchmarks import scaling

        sweep_jobs = args.sweep_jobs or ([1, 2] if args.quick else default_jobs(os.cpu_count() or 1))
        results["sweep"] = scaling.measure(work / "sweep", sweep_n, sweep_jobs, args.seed, say)

    cluster_n = args.cluster_n if args.cluster_n is not None else (0 if args.quick else 100)
    results["cluster"] = (cluster_comparison(work / "cluster", cluster_n, args.seed) if cluster_n > 0
                          else {"n": 0, "skipped": "--quick" if args.quick else "--cluster-n 0"})

    if args.quick or args.no_notebooks:
        results["notebooks"] = None
    else:
        from benchmarks.notebooks import run_notebooks

        say("notebooks: fast engine, --kernel, plain nbclient")
        results["notebooks"] = [asdict(r) for r in run_notebooks(work)]

    if args.quick or args.no_peers:
        results["peers"] = None
    else:
        from benchmarks.peers import run_peers

        say("peers: nbgrader and otter (installing into benchmarks/.peers-venv when missing)")
        results["peers"] = run_peers(work, args.peer_n, args.otter_n, args.peer_timeout, args.seed, say)

    results["total_seconds"] = time.perf_counter() - started
    (work / "latest.json").write_text(json.dumps(results, indent=1, default=str))
    text = report.render(results)
    (work / "latest.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
