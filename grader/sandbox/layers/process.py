"""The process layer: a runner starts with nothing of the grader's but its sockets.

Its own session, no new privileges (setuid binaries and file capabilities
give nothing), death with its parent, no inherited descriptors, stdio on
/dev/null, and a small fixed environment (the zygote scrubbed the grader's,
including the kernel's copy in ``/proc/self/environ``).
"""

from __future__ import annotations

import ctypes
import os
import signal
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting

# torch's CPU allocator reads this variable at its first allocation and keeps what it read: "1" gives tensors of
# 2 MiB and more transparent huge pages (one page fault per 2 MiB instead of per 4 KiB), which halves the time of
# checks that build large tensors in a fresh runner. Fork runners inherit what the template read before any zygote
# scrubbed the environment; spawned runners get it in theirs. Set in the grader's environment, it is kept.
HUGE_PAGES = "THP_MEM_ALLOC_ENABLE"


class Process(SandboxLayer):
    name = "process"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if s.mode == "spawn":
            extra = ", no-new-privileges, parent-death signal, closed descriptors" if libc.IS_LINUX else ""
            return True, "fresh interpreter per exercise, empty environment, own process group" + extra
        return True, "no-new-privileges, parent-death signal, closed descriptors, empty environment"

    def apply(self, s: Setting) -> None:
        if s.mode == "fork":
            os.setsid()  # a spawned runner got its own session from the judge
        if libc.IS_LINUX:
            libc.prctl(libc.PR_SET_NO_NEW_PRIVS, 1)
            die_with_parent()
            close_fds_except(s.fds)
        null_stdio()
        os.chdir(s.workdir)
        if s.mode == "fork":
            os.environ.update({"HOME": str(s.workdir), "TMPDIR": str(s.workdir), "PATH": "/usr/bin:/bin",
                               "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1"})


def die_with_parent() -> None:
    """Get SIGKILL when the parent dies."""
    libc.prctl(libc.PR_SET_PDEATHSIG, signal.SIGKILL)


def close_fds_except(keep: list[int]) -> None:
    """Close every file descriptor above 2 that is not in ``keep``."""
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def null_stdio() -> None:
    """Point stdin, stdout and stderr at /dev/null."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull > 2:
        os.close(devnull)


def scrub_environment() -> None:
    """Forget the environment, including the copy the kernel shows in /proc/self/environ."""
    os.environ.clear()
    if not libc.IS_LINUX:
        return
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end (fields 50, 51)
    except (OSError, IndexError, ValueError):
        return
    if 0 < start < end:
        ctypes.memset(start, 0, end - start)
