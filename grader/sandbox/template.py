"""The template: a pristine warm process from which every zygote is forked.

It is forked once, the first time a sandbox slot is needed (or earlier, by
:func:`prefork`), before the grader has read any check file, solution or
submission, and it holds torch, torchvision, numpy and IPython. Every later
slot, for another grading run in the same process or for ``--jobs N``, is
forked from the template rather than from the grader, whose memory by then
holds checks, expected values and other students' work.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import numpy  # noqa: F401 - warm imports: every runner inherits them
import PIL.Image  # noqa: F401
import torch
import torchvision  # noqa: F401

from grader.sandbox.heap import collapse_heap
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.process import HUGE_PAGES, close_fds_except, die_with_parent, null_stdio
from grader.sandbox.layers.reaper import reap
from grader.sandbox.zygote import fork_zygote


class Template:
    """The grader's handle on the template process."""

    def __init__(self, collapse: bool = False) -> None:
        torch.set_num_threads(1)  # before any torch op: no OpenMP pool may exist when we fork
        self._sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:
            try:
                self._sock.close()
                os.setpgid(0, 0)  # Ctrl-C reaches the grader only; it closes the sandbox in order
                if IS_LINUX:
                    die_with_parent()
                close_fds_except([child.fileno()])
                null_stdio()
                os.environ.setdefault(HUGE_PAGES, "1")
                torch.empty(2 * 2**20, dtype=torch.uint8)  # torch's allocator reads it now, before zygotes scrub it
                if collapse:
                    collapse_heap()  # before the first zygote: every later fork copies few page tables
                _serve(child)
            finally:
                os._exit(0)
        child.close()

    def zygote(self, hide: list[Path], keep: list[Path], preload: list[str], disabled: frozenset[str]) -> socket.socket:
        """A new zygote's control socket (``disabled``: optional layers to leave out)."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        request = {"hide": [str(p) for p in hide], "keep": [str(p) for p in keep], "preload": preload,
                   "disabled": sorted(disabled)}
        self._sock.settimeout(30)
        try:
            socket.send_fds(self._sock, [json.dumps(request).encode()], [theirs.fileno()])
        except OSError:
            raise RuntimeError("the sandbox template process ended") from None
        finally:
            theirs.close()
        # No answer to wait for: the zygote's hello on ``mine`` says it started, and its end of file that the
        # template could not fork it. Meanwhile the grader goes on (reads the class) while the template works.
        return mine


def _serve(sock: socket.socket) -> None:
    """In the template: fork a zygote per request until the grader hangs up."""
    while True:
        reap(block=False)
        data, fds, _flags, _addr = socket.recv_fds(sock, 1 << 20, 1)
        if not data:
            return
        request = json.loads(data)
        ctl = socket.socket(fileno=fds[0])
        fork_zygote(ctl, [Path(p) for p in request["hide"]], [Path(p) for p in request["keep"]],
                    request["preload"], frozenset(request["disabled"]))
        ctl.close()


_template: Template | None = None


def prefork(collapse: bool = False) -> Template:
    """The template, forked now if it does not exist yet (call early: the grader must still be pristine).

    ``collapse``: back its heap with huge pages (:mod:`grader.sandbox.heap`), when it is forked now.
    """
    global _template
    if _template is None:
        _template = Template(collapse)
    return _template
