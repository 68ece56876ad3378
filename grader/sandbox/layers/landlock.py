"""The Landlock layer: what a runner may open, whatever its mounts and permissions say.

A runner may read (and execute) the interpreter, the virtual environment,
the public engine and the system files a Python process with torch needs
(``/usr``, ``/lib*``, a few files of ``/etc``, ``/proc``, ``/sys``, a few
devices), less every hidden path inside them; it may write only its private
folders (its working folder, the private scratch folders of its slot,
``/dev/shm``) and nothing it wrote may be executed. From ABI 4 it may not
bind or connect TCP sockets, and from ABI 6 not signal processes or reach
abstract unix sockets outside its own domain (the grader, other slots).
Rights the kernel's ABI lacks are not asked for (``refer`` from 2,
``truncate`` from 3, device ``ioctl`` from 5).

The three system calls through ``ctypes`` (they have the same numbers on
every architecture) rather than the ``landlock`` package: its only release
is a development one (1.0.0.dev5), and the calls are a dozen lines.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting
from grader.sandbox.layers.filesystem import SCRATCH

CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
MAKE_CHAR, MAKE_BLOCK = 1 << 6, 1 << 11
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # the only rights a rule on a file may hold
READ = EXECUTE | READ_FILE | READ_DIR
NET_TCP = 1 | 2  # bind, connect
SCOPES = 1 | 2  # abstract unix sockets, signals

SYSTEM = ["/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/proc", "/sys"]
ETC = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "nsswitch.conf", "passwd", "group",
       "hosts", "host.conf", "resolv.conf", "gai.conf", "mime.types", "ssl/certs", "ssl/openssl.cnf", "ca-certificates",
       "fonts", "jupyter", "ipython", "matplotlibrc", "os-release"]  # not /etc/ssl/private, /etc/shadow...
DEVICES = ["/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"]


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class Landlock(SandboxLayer):
    name = "landlock"
    optional = True
    abi = 0
    rules: list[tuple[str, int]]

    def setup(self, s: Setting) -> tuple[bool, str]:
        if not libc.IS_LINUX:
            return False, "Linux only"
        try:
            self.abi = libc.syscall(CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
        except OSError as exc:
            return False, f"unavailable ({exc.strerror})"
        read_only = [Path(p) for p in [*SYSTEM, *(f"/etc/{name}" for name in ETC)]]
        hidden = [p.resolve() for p in s.hide]
        self.rules = [(str(p), rights) for root in [*s.keep, *read_only] if root.exists()
                      for p, rights in _visible(root.resolve(), hidden)]
        self.rules += [(p, READ | WRITE_FILE | TRUNCATE | IOCTL_DEV) for p in ["/dev/null"]]
        self.rules += [(p, READ_FILE | IOCTL_DEV) for p in DEVICES]
        self.rules += [(p, self._writable()) for p in [*(SCRATCH if s.private else ()), "/dev/shm"]]
        net = ", no TCP" if self.abi >= 4 else ""
        scoped = ", no signals or abstract sockets beyond its own processes" if self.abi >= 6 else ""
        return True, (f"ABI {self.abi}: reads the environment, engine and system files only, writes only its "
                      f"private folders, executes nothing it wrote{net}{scoped}")

    def apply(self, s: Setting) -> None:
        if not self.in_force:
            return
        if len(os.listdir("/proc/self/task")) > 1:
            raise OSError("Landlock restricts only the calling thread: the runner must have one")
        handled = self._handled()
        attr = _RulesetAttr(handled, NET_TCP if self.abi >= 4 else 0, SCOPES if self.abi >= 6 else 0)
        writable = [str(s.workdir), os.environ.get("IPYTHONDIR", "")]
        ruleset = libc.syscall(CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
                               ctypes.c_uint32(0))
        try:
            for path, rights in [*self.rules, *((p, self._writable()) for p in writable if p)]:
                _allow(ruleset, path, rights & handled)
            libc.syscall(RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
        finally:
            os.close(ruleset)

    def _handled(self) -> int:
        """Every filesystem right this ABI knows: what is not granted below is denied."""
        rights = (1 << 13) - 1
        for since, right in ((2, REFER), (3, TRUNCATE), (5, IOCTL_DEV)):
            if self.abi >= since:
                rights |= right
        return rights

    def _writable(self) -> int:
        """Everything in a private folder but executing files and making devices."""
        return self._handled() & ~(EXECUTE | MAKE_CHAR | MAKE_BLOCK)


def _visible(root: Path, hidden: list[Path]) -> Iterator[tuple[Path, int]]:
    """Read rights on ``root`` when no hidden path lies inside it, else on its entries that are not hidden
    (recursively), with listing rights on ``root`` itself (imports list package folders; Landlock cannot
    grant that for one folder alone, so the names of hidden files can be listed, never read)."""
    inside = [h for h in hidden if h.is_relative_to(root)]
    if not inside:
        yield root, READ
    elif root not in inside and root.is_dir() and not root.is_symlink():
        yield root, READ_DIR
        for entry in sorted(root.iterdir()):
            if not entry.is_symlink():
                yield from _visible(entry, inside)


def _allow(ruleset: int, path: str, rights: int) -> None:
    """Grant ``rights`` beneath ``path`` (a missing path is skipped)."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_RIGHTS
        rule = _PathBeneath(rights, fd)
        libc.syscall(ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                     ctypes.c_uint32(0))
    finally:
        os.close(fd)
