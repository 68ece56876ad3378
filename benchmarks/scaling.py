"""``python -m benchmarks.scaling``: the ``--jobs`` sweep of issue 15, one fresh process per ``--jobs``.

Options: ``--jobs 1,2,4`` (default: 1, 2, 4, ... up to the machine's cores,
the core count itself, and one power of two past it), ``--n`` (students,
default 48), ``--seed`` (default 1), ``--work`` (default ``benchmarks/.work``).
The class is ``classgen.make_classes([N], WORK/sweep, seed, hostile=False)``;
each ``--jobs`` grades all of it with ``force`` in
:mod:`benchmarks.scaling_probe`. The table is printed and written to
``WORK/scaling.md``, the raw numbers to ``WORK/scaling.json``.

Issue 15's targets are for a 16-core machine: ``--jobs 16`` at least 11x
``--jobs 1`` in wall time, and its start-up (time to the first result) at
most 1.5x that of ``--jobs 1``. With fewer cores they are reported as
unmeasured; the start-up ratio of the largest ``--jobs`` is still shown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.classgen import ROOT, make_classes

TARGET_CORES = 16
TARGET_SPEEDUP = 11.0  # --jobs 16 against --jobs 1, wall time, on 16 cores
TARGET_STARTUP_RATIO = 1.5  # time to first result, --jobs 16 against --jobs 1
HEADER = ["jobs", "students", "wall s", "to grading start s", "to first result s", "grading s", "tail s",
          "wall s/student", "speed-up (wall)", "speed-up (grading)", "tree user/sys CPU s", "machine user/sys CPU s",
          "gradebook.csv"]


def default_jobs(cores: int) -> list[int]:
    """1, 2, 4, ... below ``cores``, ``cores`` itself, and the next power of two past it."""
    jobs = [1]
    while jobs[-1] * 2 < cores:
        jobs.append(jobs[-1] * 2)
    if cores > 1:
        jobs.append(cores)
    power = 1
    while power <= cores:
        power *= 2
    return [*jobs, power]


def parse_jobs(text: str) -> list[int]:
    """``"1,2,4"`` -> ``[1, 2, 4]`` (sorted, unique); ``ValueError`` for anything but positive integers."""
    jobs = sorted({int(part) for part in text.split(",") if part.strip()})
    if not jobs or jobs[0] < 1:
        raise ValueError(f"--jobs wants positive integers, got {text!r}")
    return jobs


def probe_timeout(n: int) -> float:
    """Wall-clock limit of one configuration: generous for --jobs 1 (about 1.5 s per student on 2 cores)."""
    return 120.0 + 15.0 * n


def run_probe(class_dir: Path, out: Path, jobs: int, log: Path, timeout: float) -> dict[str, Any]:
    """One configuration in a fresh process; its JSON line, or ``{"jobs": J, "error": ...}``."""
    if out.exists():
        shutil.rmtree(out)
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.scaling_probe", str(class_dir), str(out),
                                 str(jobs)], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
        try:
            stdout, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"jobs": jobs, "error": f"timed out after {timeout:.0f} s (log: {log})"}
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    try:
        if proc.returncode == 0 and lines:
            run: dict[str, Any] = json.loads(lines[-1])
            return run
    except ValueError:
        pass
    return {"jobs": jobs, "error": f"exit status {proc.returncode}, no result line (log: {log})"}


def measure(work: Path, n: int, jobs: list[int], seed: int = 1,
            say: Callable[[str], None] = lambda msg: None) -> dict[str, Any]:
    """Generate the class under ``work`` and grade it once per ``--jobs``: the raw numbers."""
    work.mkdir(parents=True, exist_ok=True)
    say(f"--jobs sweep: class of {n} (seed {seed}, no hostile students)")
    class_dir = Path(make_classes([n], work, seed, hostile=False)[n].folder)
    runs = []
    for j in jobs:
        say(f"  --jobs {j}")
        run = run_probe(class_dir, work / f"out-j{j}", j, work / f"probe-j{j}.log", probe_timeout(n))
        say(f"    {run['error']}" if "error" in run else
            f"    wall {run['wall']:.1f} s, first result {run['startup']:.1f} s, grading {run['grading']:.1f} s")
        runs.append(run)
    return {"n": n, "seed": seed, "cores": os.cpu_count() or 1, "runs": runs}


def _by_jobs(sweep: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["jobs"]: r for r in sweep["runs"] if "error" not in r}


def identical(sweep: dict[str, Any]) -> str:
    """``yes`` when every configuration ran and wrote the same gradebook.csv, else ``no (why)``."""
    failed = [r["jobs"] for r in sweep["runs"] if "error" in r]
    if failed:
        return "no (failed: " + ", ".join(f"--jobs {j}" for j in failed) + ")"
    hashes = {r["gradebook_sha256"] for r in sweep["runs"]}
    return "yes" if len(hashes) == 1 and "" not in hashes else f"no ({len(hashes)} different gradebooks)"


def startup_ratio(sweep: dict[str, Any]) -> tuple[int, float] | None:
    """(the largest --jobs not above the machine's cores, its time to first result / that of --jobs 1).

    Past the cores every judge's first student shares a core with others, so its first result comes later
    for want of CPU, not for a serial start-up: that is what the largest --jobs shows.
    """
    runs = _by_jobs(sweep)
    fitting = [j for j in runs if 1 < j <= sweep["cores"]] or [j for j in runs if j > 1]
    if 1 not in runs or not fitting:
        return None
    top = max(fitting)
    return top, runs[top]["startup"] / runs[1]["startup"]


def sixteen(sweep: dict[str, Any]) -> tuple[float, float] | str:
    """Issue 15's 16-core figures, (wall speed-up, start-up ratio) of --jobs 16 against --jobs 1, or why not."""
    runs, cores = _by_jobs(sweep), sweep["cores"]
    if cores < TARGET_CORES:
        return f"unmeasured (this machine has {cores} cores)"
    if 1 not in runs or TARGET_CORES not in runs:
        return "unmeasured (the sweep has no --jobs 1 and --jobs 16 runs)"
    one, many = runs[1], runs[TARGET_CORES]
    return one["wall"] / many["wall"], many["startup"] / one["startup"]


def _met(flag: bool) -> str:
    return "met" if flag else "**missed**"


def sixteen_cores(sweep: dict[str, Any]) -> str:
    """The line on issue 15's 16-core targets."""
    figures = sixteen(sweep)
    if isinstance(figures, str):
        return f"16-core: {figures}"
    speed, start = figures
    return (f"16-core ({sweep['cores']} cores): --jobs 16 is {speed:.1f}x --jobs 1 in wall time (target >= "
            f"{TARGET_SPEEDUP:g}x: {_met(speed >= TARGET_SPEEDUP)}); its start-up is {start:.2f}x (target <= "
            f"{TARGET_STARTUP_RATIO:g}x: {_met(start <= TARGET_STARTUP_RATIO)})")


def rows(sweep: dict[str, Any]) -> list[list[Any]]:
    """The table's rows, one per --jobs."""
    one = _by_jobs(sweep).get(1)
    out: list[list[Any]] = []
    for r in sweep["runs"]:
        if "error" in r:
            out.append([r["jobs"], "", f"failed: {r['error']}", *[""] * (len(HEADER) - 3)])
            continue
        wall_up = f"{one['wall'] / r['wall']:.2f}x" if one else ""
        grading_up = f"{one['grading'] / r['grading']:.2f}x" if one and r["grading"] > 0 else ""
        out.append([r["jobs"], r["students"], f"{r['wall']:.1f}", f"{r['on_start']:.1f}", f"{r['startup']:.1f}",
                    f"{r['grading']:.1f}",
                    f"{r['tail']:.1f}", f"{r['wall'] / max(r['students'], 1):.3f}", wall_up, grading_up,
                    f"{r['tree_user']:.1f} / {r['tree_sys']:.1f}", f"{r['machine_user']:.1f} / {r['machine_sys']:.1f}",
                    r["gradebook_sha256"][:12]])
    return out


def render(sweep: dict[str, Any]) -> list[str]:
    """The sweep as Markdown lines: the table, whether the gradebooks agree, the start-up ratio, the 16-core line."""
    lines = [f"**--jobs sweep** (N = {sweep['n']}, seed {sweep['seed']}, no hostile students; each `--jobs` in a "
             "fresh process: `grade_all(force=True)` then the exports; wall = `grade_all` to exports written; "
             "to grading start = the class read and the first slot ready; to first result = start-up (the "
             "costliest students go first); grading = first to last result; tail = last result to exports written)",
             "", "CPU seconds from the probe's start (its imports included) until every process it started is "
             "reaped. Tree: getrusage (self + children) with the probe as child subreaper, so no orphaned "
             "descendant escapes it; it counts the process tree alone. Machine: /proc/stat over the same span, "
             "the more complete on an otherwise idle machine (it adds kernel threads working for the tree, such as "
             "namespace and mount teardown), but it counts everything else that runs too.", "",
             "| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in rows(sweep)]
    lines += ["", f"gradebooks identical: {identical(sweep)}", ""]
    ratio = startup_ratio(sweep)
    if ratio:
        top, value = ratio
        lines += [f"start-up (time to first result), --jobs {top} / --jobs 1: {value:.2f}x (the largest --jobs not "
                  f"above the {sweep['cores']} cores; issue 15's target: <= {TARGET_STARTUP_RATIO:g}x at --jobs 16 on "
                  "16 cores)", ""]
    return [*lines, sixteen_cores(sweep), ""]


def targets(sweep: dict[str, Any]) -> list[list[str]]:
    """Rows for the main report's target table: issue 15's two 16-core targets."""
    startup = f"start-up at `--jobs 16` <= {TARGET_STARTUP_RATIO:g}x `--jobs 1` (16 cores)"
    speedup = f"`--jobs 16` >= {TARGET_SPEEDUP:g}x `--jobs 1` in wall time (16 cores)"
    figures = sixteen(sweep)
    if isinstance(figures, str):
        ratio = startup_ratio(sweep)
        shown = f"--jobs {ratio[0]} on {sweep['cores']} cores: {ratio[1]:.2f}x" if ratio else "n/a"
        return [[startup, shown, figures], [speedup, "", figures]]
    speed, start = figures
    return [[startup, f"{start:.2f}x", _met(start <= TARGET_STARTUP_RATIO)],
            [speedup, f"{speed:.1f}x", _met(speed >= TARGET_SPEEDUP)]]


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=parse_jobs, default=None, help="--jobs values, comma-separated")
    p.add_argument("--n", type=int, default=48, help="students (default 48)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import machine, say

    args = parse(sys.argv[1:] if argv is None else argv)
    os.environ["THP_MEM_ALLOC_ENABLE"] = "1"  # as in the main benchmark run (benchmarks/__main__.py)
    work: Path = args.work
    started = time.perf_counter()
    sweep = measure(work / "sweep", args.n, args.jobs or default_jobs(os.cpu_count() or 1), args.seed, say)
    m = sweep["machine"] = machine()
    sweep["total_seconds"] = time.perf_counter() - started
    (work / "scaling.json").write_text(json.dumps(sweep, indent=1))
    text = "\n".join([f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}, "
                      f"Python {m['python']}, torch {m['torch']}; dlgrade at {m['commit']}; {m['date']}; "
                      f"whole sweep {sweep['total_seconds'] / 60:.1f} min", "", *render(sweep)])
    (work / "scaling.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
