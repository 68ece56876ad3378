"""The rlimits layer: per-process limits, the same in fork and spawn mode.

File size (writes past it fail instead of raising SIGXFSZ), open files, no
core dumps; once the exercise is known, its process limit and, where no
cgroup limits memory, a data-segment cap above what the process already has
(no tight ``RLIMIT_AS``: it breaks torch). ``RLIMIT_NPROC`` counts every
process of a uid: it is the exercise's limit where runners have a uid (or a
user namespace) to themselves, and that many on top of the user's running
processes otherwise.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import Limits, SandboxLayer, Setting

if sys.platform != "win32":
    import resource

FILE_SIZE_LIMIT = 64 * 2**20
OPEN_FILES_LIMIT = 1024


class Rlimits(SandboxLayer):
    name = "rlimits"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if sys.platform == "win32":
            return False, "not available on Windows"
        parts = [f"file size {FILE_SIZE_LIMIT // 2**20} MiB", f"open files {OPEN_FILES_LIMIT}", "no core dumps"]
        if libc.IS_LINUX:
            if _own_uid(s):
                parts.append("processes")
            elif os.getuid() == 0:
                parts.append("processes (not enforced: runs as root)")
            else:
                parts.append("processes on top of the user's own")
            if s.cgroup is None:
                parts.append("data segment")
        return True, ", ".join(parts)

    def apply(self, s: Setting) -> None:
        if sys.platform == "win32":
            return
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _cap(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT)
        _cap(resource.RLIMIT_CORE, 0)
        _cap(resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT)

    def limit(self, s: Setting, limits: Limits) -> None:
        if sys.platform == "win32" or not libc.IS_LINUX:
            return
        processes = limits.processes if _own_uid(s) else _tasks_of(os.getuid()) + limits.processes
        _cap(resource.RLIMIT_NPROC, processes)
        if s.cgroup is None:
            _cap(resource.RLIMIT_DATA, _data_segment() + limits.memory)


def _own_uid(s: Setting) -> bool:
    """Whether the runner's uid counts only the slot's processes."""
    return s.uid is not None or s.user_ns


def _cap(which: int, value: int) -> None:
    """Set soft and hard limit to ``value`` (or to the hard limit, when that is lower)."""
    if sys.platform == "win32":
        return
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _data_segment() -> int:
    """The process's data segment now, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


def _tasks_of(uid: int) -> int:
    """How many tasks (threads included, as ``RLIMIT_NPROC`` counts them) run with real uid ``uid``."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count
