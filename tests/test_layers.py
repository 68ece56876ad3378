"""Sandbox layers as objects: fork and spawn runners get the same list, as advertised, and seccomp and Landlock hold.

Runners are real (a fork slot's zygotes, a spawned interpreter); each loads a
module that inspects its own process at import and raises what it finds wrong.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import sys
import threading
from pathlib import Path

import pytest
import torch

import grader
from grader.sandbox.layers import stack
from grader.sandbox.layers.landlock import READ, READ_DIR, _visible
from grader.sandbox.layers.libc import CLONE_NEWUSER, PR_SET_NO_NEW_PRIVS, prctl
from grader.sandbox.layers.seccomp import DENIED_X86_64, install, program
from grader.sandbox.slot import ForkSlot, SpawnSlot
from grader.sandbox.spec import RunnerLimits, RunnerSpec

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the layers under test are Linux ones")

KEEP = [Path(sys.prefix), Path(sys.base_prefix), Path(torch.__file__).parent.parent, Path(grader.__file__).parent]
LIMITS = RunnerLimits(2**30, processes=16)

INSPECT = """
import ctypes, errno, os, resource, socket
problems = []
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
limits = {n: resource.getrlimit(getattr(resource, f"RLIMIT_{n}")) for n in ("NOFILE", "FSIZE", "CORE", "NPROC")}
if limits["NOFILE"] != (1024, 1024) or limits["FSIZE"] != (2**26, 2**26) or limits["CORE"] != (0, 0):
    problems.append(f"rlimits {limits}")
if limits["NPROC"][0] == resource.RLIM_INFINITY or limits["NPROC"][0] < 16:
    problems.append(f"no process limit {limits['NPROC']}")
if status["NoNewPrivs"].strip() != "1":
    problems.append("privileges can be gained")
if (status["Seccomp"].strip() == "2") != SECCOMP:
    problems.append("seccomp mode " + status["Seccomp"].strip())
libc = ctypes.CDLL(None, use_errno=True)
if SECCOMP and (libc.unshare(0x10000000) != -1 or ctypes.get_errno() != errno.EPERM):
    problems.append("unshare(CLONE_NEWUSER) was not refused")
try:
    os.listdir("/")
    listed = True
except PermissionError:
    listed = False
if listed == LANDLOCK:
    problems.append("listing / " + ("worked" if listed else "failed"))
if SPAWN and LANDLOCK:
    for attempt in ("open(SECRET).read()", "socket.create_server(('127.0.0.1', 0))", "os.kill(JUDGE, 0)"):
        try:
            eval(attempt)
            problems.append("allowed: " + attempt)
        except PermissionError:
            pass
open("written-here.txt", "w").write("the working folder is writable")
if problems:
    raise AssertionError("; ".join(problems))
"""


def _load(slot: ForkSlot | SpawnSlot, source: str) -> dict[str, object]:
    try:
        runner = slot.start(RunnerSpec("inspect", source, LIMITS))
        doc, _ = runner.request(None, [], 60)
        runner.close()
        slot.stop(0)
    finally:
        slot.close()
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("mode", ["fork", "spawn"])
@pytest.mark.parametrize("extras", [True, False], ids=["all-layers", "without-seccomp-landlock"])
def test_runners_have_the_layers_they_advertise(mode, extras, tmp_path):
    """Both modes apply the same list: rlimits (open files and processes included, which spawn mode once only
    advertised), no-new-privileges, seccomp and Landlock; switched off, they are off and say so."""
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden")
    disabled = frozenset() if extras else frozenset({"seccomp", "landlock"})
    slot = ForkSlot([tmp_path], KEEP, disabled=disabled) if mode == "fork" else SpawnSlot([tmp_path], KEEP, disabled)
    shown = {layer.name: layer for layer in slot.layers}
    assert list(shown) == [layer.name for layer in stack()]
    for name in ("seccomp", "landlock"):
        assert shown[name].in_force == extras, shown[name]
        assert extras or "disabled" in shown[name].detail
    source = (f"SECCOMP = LANDLOCK = {extras!r}\nSPAWN = {mode == 'spawn'!r}\nSECRET = {str(secret)!r}\n"
              f"JUDGE = {os.getpid()}\n" + INSPECT)
    doc = _load(slot, source)
    assert doc.get("loaded"), doc


def _in_child(body: str) -> int:
    """Run ``body`` (Python) in a forked child under the seccomp filter; its wait status."""
    pid = os.fork()
    if pid == 0:
        try:
            prctl(PR_SET_NO_NEW_PRIVS, 1)
            install(program(sorted(DENIED_X86_64.values())))
            exec(body, {"ctypes": ctypes, "os": os, "errno": errno, "threading": threading})
            os._exit(0)
        except BaseException:  # noqa: BLE001 - any failure is the child's exit status
            os._exit(1)
    return os.waitpid(pid, 0)[1]


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the filter's table is x86_64")
def test_seccomp_denies_with_eperm_and_keeps_python_working():
    libc = "libc = ctypes.CDLL(None, use_errno=True)\n"
    refused = (libc + "for call in (lambda: libc.unshare(0), lambda: libc.mount(b'x', b'/mnt', b'tmpfs', 0, None),\n"
               "             lambda: libc.ptrace(16, 1, 0, 0),\n"
               f"             lambda: libc.syscall(56, {CLONE_NEWUSER} | 17, 0, 0, 0, 0)):\n"
               "    assert call() == -1 and ctypes.get_errno() == errno.EPERM\n"
               "assert libc.syscall(435, 0, 0) == -1 and ctypes.get_errno() == errno.ENOSYS\n")  # clone3
    assert _in_child(refused) == 0
    works = ("t = threading.Thread(target=lambda: None); t.start(); t.join()\n"
             "pid = os.fork()\nif pid == 0:\n    os._exit(7)\n"
             "assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 7\n"
             "import subprocess\nassert subprocess.run(['true']).returncode == 0\n")
    assert _in_child(works) == 0
    x32 = libc + "libc.syscall(0x40000000 + 39)\n"  # getpid through the x32 ABI
    status = _in_child(x32)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSYS


def test_landlock_rules_leave_out_hidden_paths(tmp_path):
    (tmp_path / "pkg" / "hidden").mkdir(parents=True)
    (tmp_path / "pkg" / "sandbox").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "other").mkdir()
    rules = dict(_visible(tmp_path, [tmp_path / "pkg" / "hidden"]))
    assert rules == {tmp_path: READ_DIR, tmp_path / "pkg": READ_DIR, tmp_path / "other": READ,
                     tmp_path / "pkg" / "sandbox": READ, tmp_path / "pkg" / "__init__.py": READ}
    assert dict(_visible(tmp_path / "other", [tmp_path / "pkg"])) == {tmp_path / "other": READ}
