"""The reaper layer: no process of an exercise outlives it.

In a PID namespace the zygote is its init and ends each exercise with
``kill(-1, SIGKILL)``; without one the zygote (fork mode) or the runner
(spawn mode on Linux) is a subreaper, so orphans and ``setsid`` daemons stay
in the tree that is swept (:func:`descendants`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting


class Reaper(SandboxLayer):
    name = "reaper"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if s.pid_ns:
            return True, "PID namespace init: kill(-1, SIGKILL) after each exercise"
        if not libc.IS_LINUX:
            return False, "process group kill only (no subreaper on this platform)"
        if s.mode == "fork":
            try:
                libc.prctl(libc.PR_SET_CHILD_SUBREAPER, 1)
            except OSError as exc:
                return False, f"unavailable ({exc})"
        return True, "subreaper and process-tree sweep"

    def apply(self, s: Setting) -> None:
        if s.mode == "spawn" and libc.IS_LINUX:  # orphans stay below the runner, where the judge's sweep finds them
            libc.prctl(libc.PR_SET_CHILD_SUBREAPER, 1)


def reap(block: bool) -> None:
    """Collect ended children; with ``block``, wait until none is left (all were killed already)."""
    while True:
        try:
            if os.waitpid(-1, 0 if block else os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (Linux /proc walk)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        children.setdefault(int(ppid), []).append(-int(entry) if state in "ZX" else int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child > 0:  # a zombie (negative here) has ended and has no children left
                found.append(child)
                todo.append(child)
    return found


def await_death(pids: list[int], timeout: float) -> None:
    """Wait (at most ``timeout`` seconds) until each of ``pids`` is gone or a zombie."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                break
            if stat[stat.rindex(")") + 2] in "ZX":
                break
            time.sleep(0.005)
