"""The user layer: runners hold no privilege.

As root each slot gets its own unprivileged uid (no groups): runners cannot
read what root alone can, signal other slots or the grader, and a process
limit counts only their own processes. In a user namespace (not root) only
the grader's own uid is mapped, so runners keep it; they drop every
capability the namespace gave the zygote (a uid per slot would need the
setuid ``newuidmap`` helper).
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting

UID_BASE = 200_000
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class User(SandboxLayer):
    name = "user"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if s.mode == "spawn":
            return False, "runs as the grader's own user"
        if os.geteuid() == 0 and not s.user_ns:
            s.uid = UID_BASE + s.slot_id
            return True, f"unprivileged uid {s.uid}, no groups"
        if s.user_ns:
            return False, "the grader's own uid in a user namespace, no capabilities (a uid per slot needs newuidmap)"
        return False, "runs as the grader's own user (not root)"

    def apply(self, s: Setting) -> None:
        if s.uid is not None:
            os.setgroups([])
            os.setgid(s.uid)
            os.setuid(s.uid)  # from root: every capability goes with it
        elif s.user_ns:
            drop_capabilities()


def drop_capabilities() -> None:
    """Drop every capability: bounding set, ambient set, then effective, permitted and inheritable."""
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for cap in range(last + 1):
        libc.prctl(libc.PR_CAPBSET_DROP, cap)
    libc.prctl(libc.PR_CAP_AMBIENT, libc.PR_CAP_AMBIENT_CLEAR_ALL)
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # two {effective, permitted, inheritable} sets, all zero
    libc.capset(header, data)
