"""The spare runner: forked and isolated ahead of time, it waits for its exercise.

A zygote keeps one spare. Everything that does not depend on the exercise
(the fork of a process holding torch, the cgroup move, which waits for an RCU
grace period, the uid switch, rlimits, seeding) happens while the judge is
busy with another exercise; when the exercise arrives the spare only applies
its limits, imports the student's module and answers.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox import layers
from grader.sandbox.cgroup import Cgroup
from grader.sandbox.runner import prepare, serve

FILE_SIZE_LIMIT = 64 * 2**20
OPEN_FILES_LIMIT = 1024
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


def fork_spare(ctl: socket.socket, cgroup: Cgroup | None, uid: int | None, shell: Any) -> Spare:
    """Fork a spare runner in a fresh working folder; raise ``OSError`` when it cannot be made."""
    workdir = Path(f"/tmp/dlgrade-run-{os.getpid()}-{os.urandom(6).hex()}")
    workdir.mkdir(mode=0o700)
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
        _become_runner(theirs, ctl, cgroup, uid, workdir, shell)
    theirs.close()
    return Spare(pid, mine, workdir)


def _become_runner(handover: socket.socket, ctl: socket.socket, cgroup: Cgroup | None, uid: int | None,
                   workdir: Path, shell: Any) -> None:
    """In the forked child: isolate, wait for the exercise, then serve the judge. Never returns."""
    try:
        ctl.close()
        os.setsid()
        layers.prctl(layers.PR_SET_NO_NEW_PRIVS, 1)
        layers.die_with_parent()
        if cgroup:
            cgroup.join()
        layers.close_fds_except([handover.fileno()])
        layers.null_stdio()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES_LIMIT, OPEN_FILES_LIMIT))
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        os.chdir(workdir)
        os.environ.update({"HOME": str(workdir), "TMPDIR": str(workdir), "PATH": "/usr/bin:/bin",
                           "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1"})
        out = prepare()
    except BaseException:  # noqa: BLE001 - a runner that cannot be isolated must not run
        os._exit(SETUP_FAILED)
    try:
        data, fds, _flags, _addr = socket.recv_fds(handover, 1 << 20, 1)
        if not data or not fds:
            os._exit(SETUP_FAILED)  # the zygote could not apply the exercise's limits
        msg = json.loads(data)
        handover.close()
        if uid is not None:  # lowering a limit needs no privilege
            resource.setrlimit(resource.RLIMIT_NPROC, (msg["processes"], msg["processes"]))
        if not cgroup:
            _memory_rlimit(int(msg["memory"]))
        sock = socket.socket(fileno=fds[0])
    except BaseException:  # noqa: BLE001
        os._exit(SETUP_FAILED)
    try:
        serve(sock, out, msg["module"], msg["source"], msg.get("cells"), msg.get("cell_limit", 10.0), shell,
              msg.get("engine", "fast"))
    finally:
        os._exit(0)


def _memory_rlimit(limit: int) -> None:
    """Fallback without cgroups: cap the data segment above what the process already has."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                current = int(line.split()[1]) * 1024
                resource.setrlimit(resource.RLIMIT_DATA, (current + limit, current + limit))
                return
    except (OSError, ValueError):
        pass
