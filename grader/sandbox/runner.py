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
code printed since the last answer. Values go through the encoder captured in
:func:`serve` before the student's module is imported.
"""

from __future__ import annotations

import builtins
import importlib.util
import io
import os
import socket
import sys
import traceback
import warnings
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from grader import wire
from grader.sandbox.notebook_runner import cell_of, new_shell, run_cells

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


def _student_frames(tb: Any, filename: str, extract: Callable[..., Any]) -> list[dict[str, Any]]:
    """The traceback frames in the student's file or notebook cells, nothing of the grader's."""
    frames = []
    for fs in extract(tb):
        cell = cell_of(fs.filename)
        if fs.filename == filename or cell is not None:
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


def serve(sock: socket.socket, module_name: str, source: str, cells: list[tuple[int, str]] | None = None,
          cell_limit: float = 10.0, shell: Any = None, seed: int = 0) -> None:
    """Load the student's module (a file's ``source``, or notebook ``cells``) and answer requests.

    ``shell`` is a warm IPython shell for notebooks (made here when ``None``).
    """
    encode = wire.capture_encoder()
    decode, send, recv = wire.decode, wire.send_frame, wire.recv_frame
    extract = traceback.extract_tb
    _exit, _str, _getattr, _callable = os._exit, str, getattr, callable
    _compile, _exec = builtins.compile, builtins.exec
    base_exc = BaseException
    out = CappedText()
    sys.stdout = sys.stderr = out
    warnings.simplefilter("ignore")  # warnings raised by the checks' own probes are not the student's output
    builtins.input = _no_input

    import random

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)

    path = os.path.join(os.getcwd(), module_name + ".py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(source)
    sys.path.insert(0, os.getcwd())

    def answer(doc: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        doc["output"] = out.take()
        send(sock, doc, blobs or [])

    def raised(exc: BaseException) -> dict[str, Any]:
        try:
            message = _str(exc)[:2000]
        except base_exc:
            message = "<exception message could not be shown>"
        return {"raised": {"mro": _mro_names(exc), "message": message,
                           "traceback": _student_frames(exc.__traceback__, path, extract)}}

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
            cell_records = run_cells(shell or new_shell(), module, cells, cell_limit,
                                     lambda exc: raised(exc)["raised"])
    except SystemExit as exc:
        answer({"load_error": {"mro": ["SystemExit"], "message": f"sys.exit({exc.code!r}) was called", "traceback": []}})
        _exit(0)
    except base_exc as exc:
        answer({"load_error": raised(exc)["raised"]})
        _exit(0)
    answer({"loaded": True, "cells": cell_records})

    while True:
        try:
            doc, blobs = recv(sock)
        except base_exc:
            _exit(0)
        try:
            request = decode(doc, blobs)
            op = request.get("op")
            args = request.get("args", [])
            kwargs = request.get("kwargs", {})
            if op == "names":
                result: Any = sorted(n for n in vars(module) if not n.startswith("_"))
            elif op == "call":
                name = request["name"]
                if not hasattr(module, name):
                    answer({"missing": name})
                    continue
                result = _getattr(module, name)(*args, **kwargs)
            elif op == "probe":
                namespace: dict[str, Any] = {"torch": torch, "np": np, "__name__": "probe"}
                _exec(_compile(request["source"], "<probe>", "exec"), namespace)
                result = namespace[request["func"]](module, *args, **kwargs)
            else:
                raise ValueError(f"unknown request {op!r}")
        except SystemExit as exc:
            answer({"raised": {"mro": ["SystemExit"], "message": f"sys.exit({exc.code!r}) was called", "traceback": []}})
            continue
        except base_exc as exc:
            answer(raised(exc))
            continue
        try:
            value, out_blobs = encode(result)
        except base_exc as exc:
            answer({"unsendable": _str(exc)[:500]})
            continue
        answer({"ok": value}, out_blobs)


def _no_input(prompt: object = "") -> str:
    raise EOFError("input() is not available while grading")
