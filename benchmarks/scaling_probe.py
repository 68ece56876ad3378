"""One configuration of the ``--jobs`` sweep, in a fresh process: ``python -m benchmarks.scaling_probe CLASS OUT J``.

Loads the course, runs ``grade_all(..., jobs=J, force=True)`` into OUT with
a timestamp on every result (and the class's code compared beside it, as
``grade-all`` does), writes the exports (``write_outputs`` with J
processes), and prints one JSON line on stdout:

- ``wall``: before ``grade_all`` to after ``write_outputs``;
- ``startup``: to the first result; ``grading``: first to last result;
  ``tail``: last result to the exports written; ``on_start``: to the
  ``on_start`` callback (the class read and planned);
- ``tree_user`` / ``tree_sys``: CPU seconds of this process and every
  descendant (``getrusage`` SELF + CHILDREN). The probe is a child subreaper,
  so descendants orphaned on the way (a zygote whose parent ended) are reaped
  here too; at the end its remaining children (the warm template) are ended
  and every process left is reaped before ``getrusage``;
- ``machine_user`` / ``machine_sys``: the whole machine's user and kernel
  jiffies from ``/proc/stat``, from the probe's start (before its imports) to
  the same end: the cross-check, which counts anything else running too;
- ``prelude``: the probe's imports and course load, before ``wall`` starts;
- ``students`` graded and ``gradebook_sha256`` (of ``gradebook.csv``).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
REAP_SECONDS = 10.0  # how long the leftover children get to end after SIGTERM before SIGKILL


def machine_jiffies() -> tuple[float, float]:
    """(user, kernel) CPU seconds of the whole machine so far, from ``/proc/stat``'s first line."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return (fields[0] + fields[1]) / tick, (fields[2] + sum(fields[5:7])) / tick  # user+nice; system+irq+softirq


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux), so their CPU time reaches ``getrusage``."""
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _children() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def end_children(grace: float = REAP_SECONDS) -> None:
    """SIGTERM the children still alive, SIGKILL them after ``grace``, and reap everything (orphans included)."""
    for pid in _children():
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            continue
        if time.monotonic() > deadline:
            for left in _children():
                try:
                    os.kill(left, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            deadline = float("inf")
        time.sleep(0.02)


def probe(class_dir: Path, out: Path, jobs: int) -> dict[str, Any]:
    """Grade ``class_dir`` with ``--jobs jobs`` into ``out`` and time it (see the module docstring)."""
    machine_before, began = machine_jiffies(), time.perf_counter()
    from benchmarks.classgen import ROOT
    from grader.bulk.comparing import Comparison
    from grader.bulk.exports import write_outputs
    from grader.bulk.grade_all import grade_all
    from grader.course import load_course

    subreaper = become_subreaper()
    course = load_course(ROOT / "course.toml")
    results: list[float] = []
    ready: list[float] = []
    started = time.perf_counter()
    comparison = Comparison(course, class_dir)  # as grade-all does: the code compared beside the grading
    run = grade_all(course, class_dir, out, jobs=jobs, force=True,
                    on_start=lambda total, layers: ready.append(time.perf_counter()),
                    on_result=lambda result: results.append(time.perf_counter()))
    graded = time.perf_counter()
    write_outputs(course, run.results, out, similarity=comparison.result(), jobs=jobs)
    done = time.perf_counter()
    end_children()
    machine_after = machine_jiffies()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    first, last = (results[0], results[-1]) if results else (graded, graded)
    csv = out / "gradebook.csv"
    return {
        "jobs": jobs, "wall": done - started, "startup": first - started, "grading": last - first,
        "tail": done - last, "prelude": started - began, "on_start": (ready or [graded])[0] - started,
        "grade_all": graded - started,
        "students": len(run.graded), "failed": len(run.failed), "results": len(results),
        "tree_user": me.ru_utime + kids.ru_utime, "tree_sys": me.ru_stime + kids.ru_stime, "subreaper": subreaper,
        "machine_user": machine_after[0] - machine_before[0], "machine_sys": machine_after[1] - machine_before[1],
        "gradebook_sha256": hashlib.sha256(csv.read_bytes()).hexdigest() if csv.exists() else "",
    }


def main(argv: list[str]) -> int:
    class_dir, out, jobs = Path(argv[0]).resolve(), Path(argv[1]).resolve(), int(argv[2])
    print(json.dumps(probe(class_dir, out, jobs)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
