"""The namespaces layer: each slot lives in its own mount, PID, network, IPC and UTS namespaces.

As root the zygote unshares them directly. As an ordinary user, where the
kernel allows unprivileged user namespaces, it first enters a user namespace
of its own, mapping only its own uid and gid (``setgroups`` denied); the
capabilities it holds there are what the mounts of the private filesystem
need, and runners drop them all (:mod:`grader.sandbox.layers.user`).
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting
from grader.sandbox.layers.process import close_fds_except, die_with_parent

NAMESPACES = libc.CLONE_NEWNS | libc.CLONE_NEWPID | libc.CLONE_NEWNET | libc.CLONE_NEWIPC | libc.CLONE_NEWUTS


class Namespaces(SandboxLayer):
    name = "namespaces"

    def setup(self, s: Setting) -> tuple[bool, str]:
        """Unshare, then fork: the child, init of the new PID namespace, returns; this process waits for it."""
        if s.mode == "spawn":
            return False, "not used in spawn mode"
        try:
            if os.geteuid() != 0:
                enter_user_namespace()
                s.user_ns = True
            libc.unshare(NAMESPACES)
            result = True, ("user (own uid mapped), " if s.user_ns else "") + "mount, PID, network, IPC, UTS"
        except OSError as exc:
            result = False, f"unavailable ({exc.strerror})" + (" in a user namespace" if s.user_ns else "")
        inner = os.fork()
        if inner:
            close_fds_except([])
            os.waitpid(inner, 0)
            os._exit(0)
        s.pid_ns = os.getpid() == 1
        die_with_parent()
        return result


def enter_user_namespace() -> None:
    """Enter a new user namespace mapping this process's uid and gid to themselves (single-threaded callers only)."""
    uid, gid = os.geteuid(), os.getegid()
    libc.unshare(libc.CLONE_NEWUSER)
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
