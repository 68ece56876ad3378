"""The report: Markdown tables from one run's raw numbers (``latest.json``), and the targets met or missed."""

from __future__ import annotations

from itertools import pairwise
from statistics import mean
from typing import Any

from benchmarks import scaling

GIB = 2**30
TARGET_LIMIT_RATIO = 1.2
TARGET_BEYOND_FORK_MS = 15.0
TARGET_NAIVE = 6.0
TARGET_PEERS = 10.0
TARGET_SPEEDUP = 1.7
TARGET_LINEAR = 1.15  # per-student grading time may not grow by more than this from one N to the next
TARGET_MEMORY = 2 * GIB


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|")

    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]


def _s(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


def _gib(b: float) -> str:
    return f"{b / GIB:.2f} GiB"


def _ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def limit_figures(results: dict[str, Any], n: int) -> dict[str, Any]:
    """In-process seconds, forks and the limit for the first ``n`` students of the limit run."""
    lim = results["limit"]
    ids = sorted(lim["students"])[:n]
    inproc = {sid: sum(e["import"] + e["checks"] for e in lim["students"][sid]) for sid in ids}
    exercises = sum(len(lim["students"][sid]) for sid in ids)
    fork = lim["fork_median"]
    return {"ids": ids, "inproc": inproc, "inproc_total": sum(inproc.values()), "exercises": exercises,
            "fork": fork, "limit": sum(inproc.values()) + exercises * fork}


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    nmax = max(sizes)
    kinds = results["kinds"]
    runs = {(r["n"], r["jobs"]): r for r in results["dlgrade"]}
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}, "
             f"Python {m['python']}, torch {m['torch']}; dlgrade at {m.get('commit', 'unknown')}; {m['date']}; "
             f"whole run {results['total_seconds'] / 60:.1f} min"
             + (" (--quick)" if results.get("quick") else "")
             + (f"; torch allocator: {results['allocator']}" if results.get("allocator") else ""), ""]

    lines += ["**Classes** (nested: each is the first N students of the largest; every student hands in all nine "
              "exercises)", ""]
    lines += _table(["N", "py students", "notebook students", "hostile (endless loops)"],
                    [[n, c.get("py", 0), c.get("notebook", 0), f"{c.get('hostile', 0)} ({c.get('endless', 0)})"]
                     for n, c in sorted(results["classes"].items(), key=lambda kv: int(kv[0]))])

    # ---- dlgrade
    rows = []
    for n in sizes:
        for jobs in (1, 2):
            r = runs[(n, jobs)]
            speed = ""
            if jobs == 2:
                one = runs[(n, 1)]
                speed = f"{one['grading'] / r['grading']:.2f}x grading, {one['wall'] / r['wall']:.2f}x wall"
            cpu = (f"{r['cpu']:.0f} ({r['cpu'] / r['wall']:.2f}), {r.get('cpu_sys', 0):.0f}" if r.get("cpu")
                   else "n/a")
            rows.append([n, jobs, _s(r["wall"], 1), _s(r["grading"], 1), _s(r["grading"] / n, 3),
                         _s(r["wall"] / n, 3), speed, cpu, _gib(r["peak_rss"]), _gib(r["peak_pss"]), r["peak_procs"]])
    lines += ["**dlgrade grade-all** (`dlgrade grade-all CLASS --out OUT --jobs J --force`; wall = the whole command; "
              "grading = the gradebook's run start to finish)", ""]
    lines += _table(["N", "jobs", "wall s", "grading s", "grading s/student", "wall s/student",
                     "speed-up jobs 2", "CPU s (cores busy), of which kernel", "peak tree RSS", "peak tree PSS",
                     "procs"], rows)

    # ---- limit and overhead
    lim = results["limit"]
    fork_ms = lim["fork_median"] * 1000
    rows = []
    overheads = {}
    for n in sizes:
        f = limit_figures(results, n)
        r = runs[(n, 1)]
        over = (r["grading"] - f["inproc_total"]) / f["exercises"] * 1000
        overheads[n] = over
        rows.append([n, _s(f["inproc_total"], 1), _s(f["exercises"] * f["fork"], 1), _s(f["limit"], 1),
                     _s(r["grading"], 1), f"{r['grading'] / f['limit']:.2f}x", _s(over, 1), _s(over - fork_ms, 1)])
    lines += [f"**The limit** (`--jobs 1`): the same checks in one warm interpreter (import of the student's module "
              f"included) plus one bare fork/exit/wait of a warm process holding torch per exercise "
              f"(median {fork_ms:.1f} ms, RSS {lim['rss'] / 2**20:.0f} MiB)", ""]
    lines += _table(["N", "in-process checks s", "bare forks s", "limit s", "dlgrade grading s", "dlgrade / limit",
                     "overhead ms/exercise", "beyond bare fork ms/exercise"], rows)
    if lim.get("cpu"):
        busy = lim["cpu"] / (lim["wall"] + lim["startup"])
        lines += [f"The in-process run (N = {nmax}, start-up included) kept {busy:.2f} cores busy: "
                  f"{lim['cpu']:.0f} s of CPU, {lim['cpu_sys']:.0f} s of it in the kernel (DataLoader workers are "
                  "forks of a process holding torch).", ""]

    f = limit_figures(results, nmax)
    r1 = runs[(nmax, 1)]
    ordinary = [sid for sid in f["ids"]
                if not kinds.get(sid, "").startswith("hostile") and sid in r1["student_seconds"]]
    ord_over = 0.0
    if ordinary:
        ord_over = sum(r1["student_seconds"][sid] - f["inproc"][sid] for sid in ordinary) / (9 * len(ordinary)) * 1000
        lines += [f"Ordinary (non-hostile) students only, N = {nmax}: dlgrade's own time per student "
                  f"{mean(r1['student_seconds'][s] for s in ordinary):.3f} s, in-process checks "
                  f"{mean(f['inproc'][s] for s in ordinary):.3f} s, overhead {ord_over:.1f} ms per exercise "
                  f"({ord_over - fork_ms:.1f} ms beyond the bare fork).", ""]

    # ---- per exercise
    rows = []
    for ex in (r1["exercise_seconds"] or {}):
        inproc = [e["import"] + e["checks"] for sid in f["ids"] for e in results["limit"]["students"][sid]
                  if e["name"] == ex]
        dl = r1["exercise_seconds"][ex]
        checks = r1["check_seconds"].get(ex, [0.0])
        rows.append([ex, _s(mean(inproc) * 1000, 1), _s(mean(dl) * 1000, 1), _s(mean(checks) * 1000, 1),
                     _s((mean(dl) - mean(inproc)) * 1000, 1)])
    lines += [f"**Per exercise**, N = {nmax}, `--jobs 1`, mean per student (dlgrade's exercise time: fork, import, "
              "checks, stop; its check time: as the judge waited for each check)", ""]
    lines += _table(["exercise", "in-process ms", "dlgrade exercise ms", "dlgrade checks ms", "difference ms"], rows)

    # ---- naive
    rows = []
    naive_ratio = {}
    for nv in results["naive"]:
        n, jobs = nv["n"], nv["jobs"]
        per = nv["wall"] / n
        same = runs.get((n, jobs))
        big = runs[(nmax, jobs)]
        naive_ratio[jobs] = per / (big["wall"] / nmax)
        rows.append([n, jobs, _s(nv["wall"], 1), _s(per, 2),
                     f"{nv['wall'] / same['wall']:.1f}x" if same else "",
                     f"{naive_ratio[jobs]:.1f}x", len(nv["lost"]) or "0",
                     _agree(nv["scores"], same["check_scores"]) if same else ""])
    lines += ["**Naive baseline**: one fresh `python -m pytest` per student, the same public and hidden checks run "
              "in-process, the same per-check limit (SIGALRM), `jobs` students at a time", ""]
    lines += _table(["N", "jobs", "wall s", "s/student", "baseline / dlgrade (same N, wall)",
                     f"baseline / dlgrade per student (dlgrade at N = {nmax}, wall)", "students lost",
                     "scores agree with dlgrade"], rows)
    lines += [f"In-process limit run vs dlgrade (N = {nmax}, `--jobs 1`): scores agree on "
              f"{_agree(_limit_scores(results), r1['check_scores'])} of exercises.", ""]

    # ---- notebooks
    if results.get("notebooks"):
        lines += ["**Notebooks**: one notebook per exercise (nine), reference code in a student-style notebook", ""]
        lines += _table(["engine", "notebooks", "s per notebook", "whole command s"],
                        [[r["engine"], r["count"], _s(r["per_notebook"], 2), _s(r["wall"], 1)]
                         for r in results["notebooks"]])
    else:
        lines += ["**Notebooks**: skipped", ""]

    # ---- peers
    peers = results.get("peers")
    peer_ratio: dict[str, float] = {}
    if peers:
        res = peers["results"]
        base = res[0]
        rows = []
        for r in res:
            if not r["available"]:
                rows.append([r["name"], "", f"not available: {r['reason']}", "", "", ""])
                continue
            ratio = r["per_student"] / base["per_student"] if base["per_student"] else 0
            if r is not base:
                peer_ratio[r["name"]] = ratio
            rows.append([r["name"], r["students"], _s(r["per_student"], 2), _s(r["alone_wall"], 1) if r is not base
                         else "", f"{ratio:.0f}x" if r is not base else "1x",
                         f"{r['endless']} ({r['endless_wall']:.0f} s)"])
        lines += [f"**Peers** on the same students and checks: one exercise (`{peers['exercise']}`) as one notebook "
                  "per student, each dlgrade check a hidden test cell (nbgrader) or hidden test case (otter); "
                  "ordinary students in a batch, the endless-loop student alone", ""]
        lines += _table(["grader", "students", "s per student", "one student alone s", "vs dlgrade per student",
                         "endless loop"], rows)
    else:
        lines += ["**Peers**: skipped", ""]

    # ---- --jobs sweep and the Dask cluster
    lines += scaling.render(results["sweep"]) if results.get("sweep") else ["**--jobs sweep**: skipped", ""]
    lines += _cluster(results.get("cluster"))

    # ---- targets
    ratio = r1["grading"] / f["limit"]
    beyond = overheads[nmax] - fork_ms
    two = runs[(nmax, 2)]
    speedup = r1["grading"] / two["grading"]
    per = [runs[(n, 1)]["grading"] / n for n in sizes]
    growth = max([b / a for a, b in pairwise(per)] or [1.0])  # > 1: the cost per student grows with N
    slope, intercept = _fit(sizes, [runs[(n, 1)]["grading"] for n in sizes])
    peak_rss = max(runs[(n, 2)]["peak_rss"] for n in sizes)
    peak_pss = max(runs[(n, 2)]["peak_pss"] for n in sizes)
    rows = [
        [f"`--jobs 1` within {TARGET_LIMIT_RATIO}x the limit (N = {nmax})", f"{ratio:.2f}x",
         _ok(ratio <= TARGET_LIMIT_RATIO)],
        [f"overhead beyond the bare fork <= {TARGET_BEYOND_FORK_MS:g} ms per exercise", f"{beyond:.1f} ms "
         f"(ordinary students: {ord_over - fork_ms:.1f} ms)", _ok(beyond <= TARGET_BEYOND_FORK_MS)],
    ]
    for jobs, value in sorted(naive_ratio.items()):
        rows.append([f">= {TARGET_NAIVE:g}x faster than the naive baseline per student, `--jobs {jobs}`",
                     f"{value:.1f}x", _ok(value >= TARGET_NAIVE)])
    for name, value in peer_ratio.items():
        rows.append([f">= {TARGET_PEERS:g}x faster than {name} per student", f"{value:.0f}x",
                     _ok(value >= TARGET_PEERS)])
    rows += [
        [f"`--jobs 2` >= {TARGET_SPEEDUP}x `--jobs 1` (N = {nmax}, grading)", f"{speedup:.2f}x",
         _ok(speedup >= TARGET_SPEEDUP)],
        [f"time linear in N: grading s/student at N = {', '.join(map(str, sizes))} never grows by more than "
         f"{TARGET_LINEAR}x from one N to the next", ", ".join(_s(p, 3) for p in per) + f" (largest step {growth:.2f}x;"
         f" fit: {intercept:.1f} s + {slope:.3f} s x N)", _ok(growth <= TARGET_LINEAR)],
        ["peak memory of the process tree with `--jobs 2` < 2 GiB",
         f"RSS sum {_gib(peak_rss)}, PSS sum {_gib(peak_pss)}",
         f"RSS {_ok(peak_rss < TARGET_MEMORY)}, PSS {_ok(peak_pss < TARGET_MEMORY)}"],
    ]
    if results.get("sweep"):
        rows += scaling.targets(results["sweep"])
    lines += ["**Targets**", ""]
    lines += _table(["target", "measured", ""], rows)
    return "\n".join(lines)


def _cluster(cluster: dict[str, Any] | None) -> list[str]:
    """``benchmarks/cluster.py``'s figures, a row per key, or why they are missing."""
    if not cluster:
        return ["**Dask LocalCluster**: skipped (not run)", ""]
    if "skipped" in cluster:
        return [f"**Dask LocalCluster**: skipped ({cluster['skipped']})", ""]

    def value(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    return [f"**Dask LocalCluster vs --jobs 2** (N = {cluster['n']}, two worker processes on loopback)", "",
            *_table(["figure", "value"], [[key, value(v)] for key, v in cluster["measured"].items()])]


def _fit(xs: list[int], ys: list[float]) -> tuple[float, float]:
    """Least-squares line through (x, y): (slope, intercept)."""
    if len(xs) < 2:
        return (ys[0] / xs[0] if xs and xs[0] else 0.0), 0.0
    mx, my = mean(xs), mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def _limit_scores(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {sid: {e["name"]: e["score"] for e in exs} for sid, exs in results["limit"]["students"].items()}


def _agree(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]]) -> str:
    """Share of (student, exercise) scores equal in both (students missing from one side count as 0 there)."""
    students = set(a) | set(b)
    same = total = 0
    for sid in students:
        names = set(a.get(sid, {})) | set(b.get(sid, {}))
        for name in names:
            total += 1
            same += abs(a.get(sid, {}).get(name, 0.0) - b.get(sid, {}).get(name, 0.0)) < 1e-9
    return f"{100 * same / total:.0f}%" if total else "n/a"
