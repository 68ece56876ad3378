"""The runner: untrusted side of the trust boundary.

A runner is one process holding one exercise of one submission. It writes the
student's files into its working folder, loads the module with the engine for
its :class:`RunnerSpec` (:mod:`grader.sandbox.engines`), then answers the
judge's requests over its socket until the judge closes it
(:mod:`grader.sandbox.responder`). Each answer carries the output the code
printed since the last one.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import os
import random
import re
import socket
import sys
import warnings
from collections.abc import Iterable
from typing import Any, NoReturn

import numpy as np
import torch

from grader import wire
from grader.sandbox.engines import open_engine
from grader.sandbox.exit_codes import CONNECTION_LOST
from grader.sandbox.spec import RunnerSpec

OUTPUT_CAP = 64 * 1024


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``cap`` characters and counts the rest."""

    def __init__(self, cap: int = OUTPUT_CAP) -> None:
        self._cap = cap
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            s = str(s)
        room = self._cap - self._kept
        if room > 0:
            self._parts.append(s[:room])
            self._kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def take(self) -> str:
        """Return and forget what was kept; note how much was dropped."""
        text = "".join(self._parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output not shown]"
        self._parts, self._kept, self.dropped = [], 0, 0
        return text


def ready_process(seed: int = 0) -> CappedText:
    """Set the process up for student code (before the module is known): output captured, warnings
    silenced, ``input()`` answering EOF, random generators seeded. Returns the output stream."""
    out = CappedText()
    sys.stdout = sys.stderr = out
    warnings.simplefilter("ignore")  # warnings raised by the checks' own probes are not the student's output
    builtins.input = _no_input
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return out


def serve(sock: socket.socket, out: CappedText, spec: RunnerSpec, shell: Any = None) -> NoReturn:
    """Load the student's module with the engine for ``spec`` and answer the judge's requests; never returns.

    ``out`` comes from :func:`ready_process`; ``shell`` is a warm IPython shell for notebooks (made when
    ``None``). The student's other modules are written beside theirs, importable.
    """
    send, recv, _exit = wire.send_frame, wire.recv_frame, os._exit
    folder = os.getcwd()
    path = os.path.join(folder, spec.module + ".py")
    written = _write_modules(folder, spec.helpers)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_utf8_cookie(spec.source))
    sys.path.insert(0, folder)
    engine = open_engine(spec, [path, *written], out, shell)

    def answer(doc: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        doc["output"] = out.take()
        try:
            send(sock, doc, blobs or [])
        except BaseException:  # noqa: BLE001 - the judge is gone, or the student's code closed the socket
            _exit(CONNECTION_LOST)

    loaded = engine.load()
    answer(loaded)
    if "load_error" in loaded:
        _exit(0)
    while True:
        try:
            doc, blobs = recv(sock)
        except BaseException:  # noqa: BLE001 - judge gone: nothing left to do
            _exit(0)
        answer(*engine.respond(doc, blobs))


def _write_modules(folder: str, modules: Iterable[tuple[str, str]]) -> list[str]:
    """Write the student's other modules into ``folder``; return their paths.

    A name that an installed or already imported module has is skipped: the
    student's ``torch.py`` or ``json.py`` must shadow nothing, for the engine
    (which may import more later) or for the student's own imports.
    """
    written = []
    for name, text in modules:
        if not name.isidentifier() or _taken(name):
            continue
        target = os.path.join(folder, name + ".py")
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(_utf8_cookie(text))
        written.append(target)
    return written


def _taken(name: str) -> bool:
    """Whether ``import name`` already means something here."""
    if name in sys.modules or name in sys.builtin_module_names:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:  # noqa: BLE001 - a finder that fails on the name: treat it as taken
        return True


def _utf8_cookie(source: str) -> str:
    """The source with a PEP 263 coding line (first two lines) rewritten to utf-8: it is written as UTF-8."""
    lines = source.split("\n", 2)
    for i, line in enumerate(lines[:2]):
        if _CODING.match(line):
            lines[i] = _CODING.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "utf-8", line)
            break
    return "\n".join(lines)


_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _no_input(prompt: object = "") -> str:
    raise EOFError("input() is not available while grading")
