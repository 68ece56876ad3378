"""The keeper of a spawned runner (Linux): nothing the runner started outlives it, even when it ends by itself.

Spawn mode has no PID namespace whose end kills every process. So the spawned interpreter forks once more
after its layers are applied: the child serves as the runner, and the parent stays behind as its keeper. The
keeper never runs student code; it is a subreaper, so processes the runner leaves (orphans, ``setsid``
daemons, a process that keeps forking a new self) are re-parented to it rather than to init. When the runner
ends, the keeper stops and kills every process below it, then exits as the runner did, so the judge sees the
runner's own status only once nothing of the exercise is left. When the judge kills the tree first, the keeper
is in it.
"""

from __future__ import annotations

import os
import signal
import socket
import time

from grader.sandbox.layers.process import die_with_parent
from grader.sandbox.layers.reaper import descendants, reap

SWEEP_LIMIT = 10.0  # seconds: a process tree that keeps growing past this is left to the judge's kill


def split(sock: socket.socket) -> None:
    """Fork; return in the child (the runner). The parent keeps the child's tree and exits as it did."""
    pid = os.fork()  # this process is a subreaper already (the reaper layer, applied in spawn mode)
    if pid == 0:
        die_with_parent()
        return
    sock.close()  # the judge sees the runner's end of the connection alone
    _, status = os.waitpid(pid, 0)
    _sweep()
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _sweep() -> None:
    """Stop, then kill, every process below this one until none is seen (stopped processes cannot fork)."""
    me, deadline = os.getpid(), time.monotonic() + SWEEP_LIMIT
    while time.monotonic() < deadline:
        pids = descendants(me)
        if not pids:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        reap(block=False)
