"""The seccomp layer: system calls a runner never needs fail with ``EPERM``.

A deny list, not an allow list: torch, DataLoader workers (fork) and the
``--kernel`` engine (ipykernel, zmq threads) keep working, while the kernel
interfaces that matter for escaping or attacking the machine are gone:
tracing other processes, kernel modules and kexec, BPF and perf events,
keyrings, every mount call, new namespaces (``unshare``, ``setns``, ``clone``
with namespace flags), io_uring, clocks, swap, reboot... ``clone3`` answers
``ENOSYS`` (its flags sit in memory a filter cannot read; libc falls back to
``clone``). A call made through another ABI (i386 ``int 0x80``, x32) kills
the process.

Why a hand-built BPF program rather than libseccomp through ``pyseccomp``
(0.1.2, a ctypes wrapper): the filter is one architecture check and a list
of numbers, about forty lines to read here, where pyseccomp would add a
dependency and a native library to find at run time for the same list. The
price is the table below, x86_64 only; elsewhere the layer says it is not in
force (and why) rather than guess numbers.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

from grader.sandbox.layers import libc
from grader.sandbox.layers.base import SandboxLayer, Setting

DENIED_X86_64 = {
    "ptrace": 101, "syslog": 103, "uselib": 134, "vhangup": 153, "pivot_root": 155, "_sysctl": 156,
    "adjtimex": 159, "chroot": 161, "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166,
    "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172,
    "ioperm": 173, "create_module": 174, "init_module": 175, "delete_module": 176, "get_kernel_syms": 177,
    "query_module": 178, "quotactl": 179, "nfsservctl": 180, "lookup_dcookie": 212, "clock_settime": 227,
    "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "unshare": 272,
    "perf_event_open": 298, "fanotify_init": 300, "open_by_handle_at": 304, "clock_adjtime": 305,
    "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "finit_module": 313,
    "kexec_file_load": 320, "bpf": 321, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433, "pidfd_getfd": 438, "process_madvise": 440, "mount_setattr": 442,
    "quotactl_fd": 443, "open_tree_attr": 467,
}
CLONE, CLONE3, SECCOMP = 56, 435, 317
NAMESPACE_FLAGS = (libc.CLONE_NEWNS | libc.CLONE_NEWCGROUP | libc.CLONE_NEWUTS | libc.CLONE_NEWIPC
                   | libc.CLONE_NEWUSER | libc.CLONE_NEWPID | libc.CLONE_NEWNET)

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_KILL_PROCESS, RET_ERRNO, RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
LD_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06  # BPF_LD|W|ABS, BPF_JMP|{JEQ,JGE,JSET}|K, BPF_RET|K
SECCOMP_SET_MODE_FILTER, SECCOMP_GET_ACTION_AVAIL, SECCOMP_FILTER_FLAG_TSYNC = 1, 2, 1


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


class Seccomp(SandboxLayer):
    name = "seccomp"
    optional = True

    def setup(self, s: Setting) -> tuple[bool, str]:
        if not libc.IS_LINUX:
            return False, "Linux only"
        if platform.machine() != "x86_64" or struct.calcsize("P") != 8:
            return False, f"no system call table for {platform.machine()} here"
        action = ctypes.c_uint32(RET_ERRNO)
        try:
            libc.syscall(SECCOMP, ctypes.c_uint(SECCOMP_GET_ACTION_AVAIL), ctypes.c_uint(0), ctypes.byref(action))
        except OSError as exc:
            return False, f"unavailable ({exc.strerror})"
        return True, (f"{len(DENIED_X86_64) + 2} system calls denied (ptrace, mount, unshare, bpf, kexec, keyctl, "
                      "io_uring...), namespace flags of clone, other ABIs killed")

    def apply(self, s: Setting) -> None:
        if self.in_force:
            install(program(sorted(DENIED_X86_64.values())))


def program(denied: list[int]) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions: architecture, ABI, deny list, clone flags."""
    body: list[tuple[int, str | int, str | int, int]] = [
        (LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (JEQ, 0, "kill", AUDIT_ARCH_X86_64),
        (LD_ABS, 0, 0, 0),  # seccomp_data.nr
        (JGE, "x32", 0, X32_SYSCALL_BIT),
        *((JEQ, "eperm", 0, nr) for nr in denied),
        (JEQ, "enosys", 0, CLONE3),
        (JEQ, 0, "allow", CLONE),
        (LD_ABS, 0, 0, 16),  # low half of seccomp_data.args[0]: clone's flags
        (JSET, "eperm", "allow", NAMESPACE_FLAGS),
    ]
    x32 = len(body)
    body.append((JEQ, "allow", "kill", 0xFFFFFFFF))  # nr -1 is no call (the kernel answers ENOSYS)
    targets = {"x32": x32, "allow": x32 + 1, "eperm": x32 + 2, "enosys": x32 + 3, "kill": x32 + 4}
    body += [(RET, 0, 0, RET_ALLOW), (RET, 0, 0, RET_ERRNO | errno.EPERM), (RET, 0, 0, RET_ERRNO | errno.ENOSYS),
             (RET, 0, 0, RET_KILL_PROCESS)]

    def offset(at: int, jump: str | int) -> int:
        distance = jump if isinstance(jump, int) else targets[jump] - at - 1
        if not 0 <= distance <= 255:
            raise ValueError("seccomp filter too long for classic BPF jumps")
        return distance

    return [(code, offset(i, jt), offset(i, jf), k) for i, (code, jt, jf, k) in enumerate(body)]


def install(instructions: list[tuple[int, int, int, int]]) -> None:
    """Load the filter for every thread of this process (no-new-privileges must be set)."""
    filters = (_SockFilter * len(instructions))(*(_SockFilter(*ins) for ins in instructions))
    prog = _SockFprog(len(instructions), filters)
    done = libc.syscall(SECCOMP, ctypes.c_uint(SECCOMP_SET_MODE_FILTER), ctypes.c_uint(SECCOMP_FILTER_FLAG_TSYNC),
                        ctypes.byref(prog))
    if done != 0:
        raise OSError(f"seccomp: thread {done} could not be synchronised")
