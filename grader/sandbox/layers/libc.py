"""The Linux system calls the layers need, through ``ctypes`` (no compiler, no exec).

Each wrapper raises ``OSError`` with the call's errno when the kernel refuses.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from typing import Any

IS_LINUX = sys.platform.startswith("linux")

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

MADV_COLLAPSE = 25  # Linux 6.1+: back an address range with huge pages now

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True) if IS_LINUX else None


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def _lib(what: str) -> Any:
    if _libc is None:
        raise OSError(f"{what} needs Linux")
    return _libc


def unshare(flags: int) -> None:
    """Move this process into new namespaces (``unshare(2)``)."""
    _check(_lib("unshare").unshare(flags), "unshare")


def mount(source: str, target: str, fstype: str | None, flags: int = 0, data: str | None = None) -> None:
    """``mount(2)``."""
    _check(
        _lib("mount").mount(
            source.encode(), target.encode(), fstype.encode() if fstype else None,
            ctypes.c_ulong(flags), data.encode() if data else None,
        ),
        f"mount {target}",
    )


def prctl(option: int, *args: int) -> None:
    """``prctl(2)`` with up to four integer arguments."""
    padded = [ctypes.c_ulong(a) for a in (*args, 0, 0, 0, 0)[:4]]
    _check(_lib("prctl").prctl(option, *padded), f"prctl({option})")


def capset(header: ctypes.Array[ctypes.c_uint32], data: ctypes.Array[ctypes.c_uint32]) -> None:
    """``capset(2)``: set this thread's capability sets."""
    _check(_lib("capset").capset(header, data), "capset")


def syscall(number: int, *args: Any) -> int:
    """A raw system call (for calls libc has no wrapper for); returns its result."""
    return _check(_lib("syscall").syscall(ctypes.c_long(number), *args), f"syscall {number}")


def madvise(address: int, length: int, advice: int) -> None:
    """``madvise(2)`` on a range of this process's memory."""
    _check(_lib("madvise").madvise(ctypes.c_void_p(address), ctypes.c_size_t(length), advice), "madvise")
