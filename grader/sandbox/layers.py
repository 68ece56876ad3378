"""Linux isolation primitives (namespaces, mounts, prctl, rlimits), via ctypes.

Each function applies one layer and raises ``OSError`` when the machine does
not allow it; the zygote decides what to do without it and reports what is in
force. Nothing here runs student code.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import time
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
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

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

IS_LINUX = sys.platform.startswith("linux")
SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")  # world-writable: each gets a private tmpfs
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True) if IS_LINUX else None


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    """Move this process into new namespaces (``unshare(2)``)."""
    if _libc is None:
        raise OSError("namespaces need Linux")
    _check(_libc.unshare(flags), "unshare")


def mount(source: str, target: str, fstype: str | None, flags: int = 0, data: str | None = None) -> None:
    """``mount(2)``."""
    if _libc is None:
        raise OSError("mount needs Linux")
    _check(
        _libc.mount(
            source.encode(), target.encode(), fstype.encode() if fstype else None,
            ctypes.c_ulong(flags), data.encode() if data else None,
        ),
        f"mount {target}",
    )


def prctl(option: int, arg: int) -> None:
    """``prctl(2)`` with one argument."""
    if _libc is None:
        raise OSError("prctl needs Linux")
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl({option})")


def die_with_parent() -> None:
    """Get SIGKILL when the parent dies."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def private_filesystem(hide: list[Path], keep: list[Path]) -> list[str]:
    """In a fresh mount namespace: private /proc and scratch folders (:data:`SCRATCH`); hide paths, keep others.

    Each path in ``hide`` (and each folder an unprivileged user could not
    pass through on the way to a kept path) is covered by an empty tmpfs.
    Each path in ``keep`` that is covered by then (the virtual environment
    inside the checkout, a checkout under /tmp, the interpreter under /root)
    is bind-mounted back, and a hidden path inside a kept one is covered
    again. Returns the covered paths.
    """
    hide_set = {p.resolve() for p in [*hide, *_closed_ancestors(keep)] if p.exists()}
    kept = {k.resolve(): os.open(k, os.O_PATH) for k in keep if k.exists()}  # before anything is covered
    mount("none", "/", None, MS_REC | MS_PRIVATE)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for scratch in SCRATCH:
        if scratch == "/tmp" or (os.path.isdir(scratch) and not os.path.islink(scratch)):
            mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=1g")
    covered: list[Path] = []
    for path in sorted(hide_set, key=lambda p: len(p.parts)):
        if any(path.is_relative_to(c) for c in covered) or path.is_relative_to("/tmp") or not path.exists():
            continue  # already covered (a parent, or the fresh /tmp)
        if path.is_dir():
            mount("tmpfs", str(path), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0711,size=64k")
        else:
            mount("/dev/null", str(path), None, MS_BIND)
        covered.append(path)
    for path, fd in sorted(kept.items(), key=lambda item: len(item[0].parts)):
        if not _same_file(path, fd):
            _make_dirs(path)
            mount(f"/proc/self/fd/{fd}", str(path), None, MS_BIND | MS_REC)
        os.close(fd)
    for path in sorted(hide_set):
        if path not in covered and path.exists() and any(path.is_relative_to(k) for k in kept):
            mount("tmpfs", str(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=0700,size=4k")
            covered.append(path)
    for path in covered:
        if path.is_dir() and not any(path.is_relative_to(k) for k in kept):
            mount("none", str(path), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return [str(p) for p in covered] + (["/tmp (fresh)"] if any(p.is_relative_to("/tmp") for p in hide_set) else [])


def _same_file(path: Path, fd: int) -> bool:
    """Whether ``path`` still leads to the file that ``fd`` was opened on."""
    try:
        here, there = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _make_dirs(path: Path) -> None:
    """Create ``path`` and its missing parents, passable by anyone (inside covering tmpfs)."""
    missing = [p for p in [path, *path.parents] if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir()
        os.chmod(folder, 0o711)


def _closed_ancestors(keep: list[Path]) -> list[Path]:
    """Folders that an unprivileged user cannot pass through on the way to a kept path.

    Typically ``/root`` (mode 0700) above a pyenv Python: covering it with a
    traversable tmpfs and binding the kept path back both hides the rest of
    root's home and makes the interpreter's standard library readable.
    """
    closed = []
    for path in keep:
        for ancestor in reversed(path.resolve().parents):
            try:
                if not ancestor.stat().st_mode & 0o001:
                    closed.append(ancestor)
                    break
            except OSError:
                break
    return closed


def scrub_environment() -> None:
    """Forget the environment, including the copy the kernel shows in /proc/self/environ."""
    os.environ.clear()
    if _libc is None:
        return
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end (fields 50, 51)
    except (OSError, IndexError, ValueError):
        return
    if 0 < start < end:
        ctypes.memset(start, 0, end - start)


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
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
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
