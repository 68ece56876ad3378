"""Collapse a process's heap into huge pages, so that forking it copies few page tables.

The template holds about 700 MB (torch, torchvision, IPython). Forking it,
or a zygote forked from it, copies a page-table entry per 4 KiB page: about
25 ms a fork here, most of it kernel time, paid for every exercise of every
student. With its anonymous memory backed by 2 MiB pages a fork takes about
5 ms, but collapsing costs about a second of one core, once: worth it for a
class, not for one ``grade``.
"""

from __future__ import annotations

from pathlib import Path

from grader.sandbox.layers.libc import MADV_COLLAPSE, madvise

HUGE = 2 * 2**20
SKIP = ("[stack]", "[vvar]", "[vdso]", "[vsyscall]", "[vvar_vclock]")


def collapse_heap() -> int:
    """Ask the kernel to back this process's private writable anonymous memory with huge pages now; return the
    bytes it collapsed (0 where the kernel cannot: before Linux 6.1, or with transparent huge pages off)."""
    collapsed = 0
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        name = fields[5] if len(fields) > 5 else ""
        if "w" not in fields[1] or "p" not in fields[1] or (name and not name.startswith("[")) or name in SKIP:
            continue
        low, high = (int(x, 16) for x in fields[0].split("-"))
        start, end = -(-low // HUGE) * HUGE, high // HUGE * HUGE
        if end <= start:
            continue
        try:
            madvise(start, end - start, MADV_COLLAPSE)
        except OSError:
            continue  # part of the range could not be collapsed (pinned, or no memory for huge pages): fine
        collapsed += end - start
    return collapsed
