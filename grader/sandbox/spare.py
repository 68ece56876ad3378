"""The spare runner: forked and isolated ahead of time, it waits for its exercise.

A zygote keeps one spare. Everything that does not depend on the exercise
(the fork of a process holding torch, every layer of
:mod:`grader.sandbox.layers`: cgroup move, uid, rlimits, Landlock, seccomp;
seeding) happens while the judge is busy with another exercise; when the
exercise arrives (its :class:`RunnerSpec`, from the judge) the spare only
applies its limits, imports the student's module and answers.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox.exit_codes import SETUP_FAILED
from grader.sandbox.handoff import recv_spec
from grader.sandbox.layers import Stack
from grader.sandbox.runner import ready_process, serve


@dataclass(frozen=True)
class Spare:
    """The zygote's handle on a waiting runner."""

    pid: int
    sock: socket.socket  # the zygote's end of the hand-over pair
    workdir: Path

    def hand_over(self, judge_fd: int) -> None:
        """Give the spare the judge's socket, which brings its exercise (a dead spare shows as a closed socket)."""
        try:
            socket.send_fds(self.sock, [b"start"], [judge_fd])
        except OSError:
            pass
        self.sock.close()


def fork_spare(ctl: socket.socket, sandbox: Stack, shell: Any) -> Spare:
    """Fork a spare runner in a fresh working folder; raise ``OSError`` when it cannot be made."""
    workdir = Path(f"/tmp/dlgrade-run-{os.getpid()}-{os.urandom(6).hex()}")
    workdir.mkdir(mode=0o700)
    uid = sandbox.setting.uid
    if uid is not None:
        os.chown(workdir, uid, uid)
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        pid = os.fork()
    except OSError:
        mine.close()
        theirs.close()
        raise
    if pid == 0:
        mine.close()
        _become_runner(theirs, ctl, sandbox, workdir, shell)
    theirs.close()
    return Spare(pid, mine, workdir)


def _become_runner(handover: socket.socket, ctl: socket.socket, sandbox: Stack, workdir: Path, shell: Any) -> None:
    """In the forked child: isolate, wait for the exercise, then serve the judge. Never returns."""
    try:
        ctl.close()
        sandbox.setting.workdir, sandbox.setting.fds = workdir, [handover.fileno()]
        sandbox.apply()
        out = ready_process()
    except BaseException:  # noqa: BLE001 - a runner that cannot be isolated must not run
        os._exit(SETUP_FAILED)
    try:
        data, fds, _flags, _addr = socket.recv_fds(handover, 16, 1)
        if not data or not fds:
            os._exit(SETUP_FAILED)  # the zygote could not apply the exercise's limits
        handover.close()
        sock = socket.socket(fileno=fds[0])
        spec, _ = recv_spec(sock)
        sandbox.limit(spec.limits.memory_bytes, spec.limits.processes)
    except BaseException:  # noqa: BLE001
        os._exit(SETUP_FAILED)
    try:
        serve(sock, out, spec, shell)
    finally:
        os._exit(0)
