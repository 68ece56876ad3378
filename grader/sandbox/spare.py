"""The spare runner: forked and isolated ahead of time, it waits for its exercise.

A zygote keeps one spare. Everything that does not depend on the exercise
(the fork of a process holding torch, every layer of
:mod:`grader.sandbox.layers`: cgroup move, uid, rlimits, Landlock, seccomp;
seeding) happens while the judge is busy with another exercise; when the
exercise arrives the spare only applies its limits, imports the student's
module and answers.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox.handoff import recv_exercise
from grader.sandbox.layers import Stack
from grader.sandbox.runner import prepare, serve

SETUP_FAILED = 70  # exit code of a runner that could not be isolated (the judge names it)


@dataclass(frozen=True)
class Spare:
    """The zygote's handle on a waiting runner."""

    pid: int
    sock: socket.socket  # the zygote's end of the hand-over pair
    workdir: Path

    def hand_over(self, message: bytes, judge_fd: int) -> None:
        """Give the spare its exercise and the judge's socket (a dead spare shows as a closed socket)."""
        try:
            socket.send_fds(self.sock, [message], [judge_fd])
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
        out = prepare()
    except BaseException:  # noqa: BLE001 - a runner that cannot be isolated must not run
        os._exit(SETUP_FAILED)
    try:
        data, fds, _flags, _addr = socket.recv_fds(handover, 1 << 20, 1)
        if not data or not fds:
            os._exit(SETUP_FAILED)  # the zygote could not apply the exercise's limits
        msg = json.loads(data)
        handover.close()
        sandbox.limit(int(msg["memory"]), int(msg["processes"]))
        sock = socket.socket(fileno=fds[0])
        exercise = recv_exercise(sock)
    except BaseException:  # noqa: BLE001
        os._exit(SETUP_FAILED)
    try:
        serve(sock, out, exercise["module"], exercise["source"], exercise.get("cells"),
              exercise.get("cell_limit", 10.0), shell, exercise.get("engine", "fast"), exercise.get("helpers"),
              exercise.get("forbidden", ()))
    finally:
        os._exit(0)
