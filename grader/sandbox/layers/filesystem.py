"""The filesystem layer: what a slot's runners see of the machine's files.

In the slot's mount namespace: a private /proc (its own PID namespace) and a
private tmpfs on each world-writable scratch folder (:data:`SCRATCH`); the
paths to hide (checkout, hidden checks, solutions, submissions) covered by
empty filesystems, with what runners need (interpreter, environment, public
engine) bound back.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.sandbox.layers.base import SandboxLayer, Setting
from grader.sandbox.layers.libc import (
    MS_BIND,
    MS_NODEV,
    MS_NOEXEC,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    MS_REMOUNT,
    mount,
)

SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")  # world-writable: each gets a private tmpfs


class Filesystem(SandboxLayer):
    name = "filesystem"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if s.mode == "spawn":
            return False, "not used in spawn mode"
        if not s.pid_ns:
            return False, "not private (no namespaces)"
        try:
            hidden = private_filesystem(s.hide, s.keep)
        except OSError as exc:
            return False, f"not private ({exc})"
        s.private = True
        return True, f"private {', '.join(['/proc', *SCRATCH])}; hidden: " + ", ".join(hidden)


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
