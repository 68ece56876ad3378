"""Memory of a whole process tree, sampled in a background thread.

RSS counts a page once in every process that maps it, so the sum over a tree
of forked processes counts torch's shared pages several times; PSS divides
each shared page among the processes that share it, so its sum is what the
tree really occupies. Both are reported: RSS because that is the number asked
for, PSS because it is the honest footprint.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PSS_EVERY = 10  # PSS (smaps_rollup) is costlier to read: every 10th sample


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (all threads' children files; a scan of /proc where they are missing)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                continue
    except OSError:
        return []
    return found


def tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += children(pid)
    return pids


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler:
    """``with TreeSampler(pid) as s: ...``; then ``s.peak_rss``, ``s.peak_pss`` (bytes), ``s.peak_procs``."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root, self.interval = root, interval
        self.peak_rss = self.peak_pss = self.peak_procs = self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        count = 0
        while not self._stop.is_set():
            pids = tree(self.root)
            rss = sum(_status_kb(p, "VmRSS:") for p in pids) * 1024
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_procs = max(self.peak_procs, len(pids))
            if count % PSS_EVERY == 0:
                self.peak_pss = max(self.peak_pss, sum(_pss_kb(p) for p in pids) * 1024)
            count += 1
            self.samples = count
            self._stop.wait(self.interval)
