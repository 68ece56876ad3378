"""The runner: untrusted side of the trust boundary.

A runner is one process holding one exercise of one submission. It imports the
student's module, then answers the judge's requests over its socket until the
judge closes it:

- ``{"op": "call", "name": ..., "args": ..., "kwargs": ...}``: call a
  top-level name of the module;
- ``{"op": "probe", "source": ..., "func": ..., "args": ..., "kwargs": ...}``:
  compile a probe from the check file and call it with the module first;
- ``{"op": "names"}``: the module's public top-level names.

Every answer is ``{"ok": value}`` or ``{"raised": {...}}`` plus the output the
code printed since the last answer, and ``forbidden``: the exercise's forbidden
APIs that student code has called so far (:mod:`grader.sandbox.tripwire`).
Values go through the encoder captured in :func:`serve` before the student's
module is imported.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import os
import re
import socket
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from grader import wire
from grader.sandbox.notebook_runner import cell_of, new_shell, run_cells
from grader.sandbox.tripwire import Tripwire

OUTPUT_CAP = 64 * 1024
CONNECTION_LOST = 71  # exit code of a runner that could not send an answer (the judge names it)


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


def _student_frames(tb: Any, filenames: Collection[str], extract: Callable[..., Any]) -> list[dict[str, Any]]:
    """The traceback frames in the student's files or notebook cells, nothing of the grader's."""
    frames = []
    for fs in extract(tb):
        cell = cell_of(fs.filename)
        if fs.filename in filenames or cell is not None:
            frame = {"line": fs.lineno, "function": fs.name, "code": (fs.line or "")[:200]}
            if cell is not None:
                frame["cell"] = cell
            frames.append(frame)
    return frames[-8:]


def _mro_names(exc: BaseException) -> list[str]:
    try:
        return [c.__name__ for c in type(exc).__mro__][:12]
    except BaseException:  # noqa: BLE001 - a hostile class may break introspection
        return ["BaseException"]


class Responder:
    """Answers the judge's requests about one module: the same code serves a runner and a kernel.

    Built before student code runs, so the functions it holds (the encoder's
    torch and numpy methods, ``compile``, ``exec``...) are the real ones.
    ``tripwire`` (the exercise's forbidden APIs) learns which code is a probe's,
    and every answer reports what it caught.
    """

    def __init__(self, module: Callable[[], Any], path: str, tripwire: Tripwire | None = None) -> None:
        self.module, self.paths, self.tripwire = module, {path}, tripwire
        self.encode = wire.capture_encoder()
        self.decode, self.extract = wire.decode, traceback.extract_tb
        self.str, self.getattr, self.hasattr = str, getattr, hasattr
        self.compile, self.exec, self.sorted, self.vars = builtins.compile, builtins.exec, sorted, vars

    def raised(self, exc: BaseException) -> dict[str, Any]:
        """An exception as plain data: class names, message, the student's frames."""
        if isinstance(exc, SystemExit):
            return {"mro": ["SystemExit"], "message": f"sys.exit({exc.code!r}) was called", "traceback": []}
        try:
            message = self.str(exc)[:2000]
        except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
            message = "<exception message could not be shown>"
        return {"mro": _mro_names(exc), "message": message,
                "traceback": _student_frames(exc.__traceback__, self.paths, self.extract)}

    def respond(self, doc: Any, blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        """One request in, one answer out (never raises for anything the student's code does)."""
        try:
            request = self.decode(doc, blobs)
            module = self.module()
            op, args, kwargs = request.get("op"), request.get("args", []), request.get("kwargs", {})
            if op == "names":
                result: Any = self.sorted(n for n in self.vars(module) if not n.startswith("_"))
            elif op == "call":
                if not self.hasattr(module, request["name"]):
                    return {"missing": request["name"]}, []
                result = self.getattr(module, request["name"])(*args, **kwargs)
            elif op == "probe":
                namespace: dict[str, Any] = {"torch": torch, "np": np, "__name__": "probe"}
                code = self.compile(request["source"], "<probe>", "exec")
                if self.tripwire is not None:
                    self.tripwire.trust(code)
                self.exec(code, namespace)
                result = namespace[request["func"]](module, *args, **kwargs)
            else:
                raise ValueError(f"unknown request {op!r}")
        except BaseException as exc:  # noqa: BLE001 - the student's error is the answer
            return {"raised": self.raised(exc)}, []
        try:
            value, out_blobs = self.encode(result)
        except BaseException as exc:  # noqa: BLE001
            return {"unsendable": self.str(exc)[:500]}, []
        return {"ok": value}, out_blobs

    def report(self, doc: dict[str, Any]) -> None:
        """Add to an answer the forbidden APIs student code has called so far."""
        tripped = self.tripwire.tripped() if self.tripwire is not None else []
        if tripped:
            doc["forbidden"] = tripped


def prepare(seed: int = 0) -> CappedText:
    """Set the process up for student code (before the module is known): output captured, warnings
    silenced, ``input()`` answering EOF, random generators seeded. Returns the output stream."""
    out = CappedText()
    sys.stdout = sys.stderr = out
    warnings.simplefilter("ignore")  # warnings raised by the checks' own probes are not the student's output
    builtins.input = _no_input

    import random

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return out


def serve(sock: socket.socket, out: CappedText, module_name: str, source: str,
          cells: list[tuple[int, str]] | None = None, cell_limit: float = 10.0, shell: Any = None,
          engine: str = "fast", helpers: Mapping[str, str] | None = None, forbidden: Sequence[str] = ()) -> None:
    """Load the student's module (a file's ``source``, or notebook ``cells``) and answer requests.

    ``out`` comes from :func:`prepare`; ``shell`` is a warm IPython shell for
    notebooks (made here when ``None``); ``engine="kernel"`` runs a notebook
    in a real kernel (nbclient) instead. ``helpers`` are the student's other
    modules (name to source), importable beside theirs; ``forbidden`` the
    exercise's forbidden APIs, wired before student code runs.
    """
    send, recv, _exit = wire.send_frame, wire.recv_frame, os._exit
    folder = os.getcwd()
    path = os.path.join(folder, module_name + ".py")
    written = _write_modules(folder, helpers or {})
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_utf8_cookie(source))
    sys.path.insert(0, folder)
    holder: list[Any] = []
    kernel = engine == "kernel" and cells is not None  # then student code runs in the kernel, wired there
    responder = Responder(lambda: holder[0], path, Tripwire(forbidden) if forbidden and not kernel else None)
    responder.paths.update(written)

    def answer(doc: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        responder.report(doc)
        doc["output"] = out.take()
        try:
            send(sock, doc, blobs or [])
        except BaseException:  # noqa: BLE001 - the judge is gone, or the student's code closed the socket
            _exit(CONNECTION_LOST)

    if kernel:
        from grader.sandbox.kernel_runner import KernelSession

        session = KernelSession(module_name, cells or [], cell_limit, out, forbidden)
        try:
            answer({"loaded": True, "cells": session.start()})
        except BaseException as exc:  # noqa: BLE001 - a kernel that cannot start is the submission's load error
            answer({"load_error": responder.raised(exc)})
            _exit(0)
        while True:
            try:
                doc, blobs = recv(sock)
            except BaseException:  # noqa: BLE001 - judge gone
                _exit(0)
            answer(*session.ask(doc, blobs))

    cell_records: list[dict[str, Any]] = []
    try:
        if cells is None:
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        else:
            module = types.ModuleType(module_name)
            module.__file__ = path
            sys.modules[module_name] = module
            cell_records = run_cells(shell or new_shell(), module, cells, cell_limit, responder.raised)
    except BaseException as exc:  # noqa: BLE001 - any failure at import is reported
        answer({"load_error": responder.raised(exc)})
        _exit(0)
    holder.append(module)
    answer({"loaded": True, "cells": cell_records})
    while True:
        try:
            doc, blobs = recv(sock)
        except BaseException:  # noqa: BLE001 - judge gone: nothing left to do
            _exit(0)
        answer(*responder.respond(doc, blobs))


def _write_modules(folder: str, modules: Mapping[str, str]) -> list[str]:
    """Write the student's other modules into ``folder``; return their paths.

    A name that an installed or already imported module has is skipped: the
    student's ``torch.py`` or ``json.py`` must shadow nothing, for the engine
    (which may import more later) or for the student's own imports.
    """
    written = []
    for name, text in modules.items():
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
