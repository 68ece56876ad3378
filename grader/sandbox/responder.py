"""Answers to the judge's requests about one student module: the same code serves a runner and a kernel.

A request is one of:

- ``{"op": "call", "name": ..., "args": ..., "kwargs": ...}``: call a
  top-level name of the module;
- ``{"op": "probe", "source": ..., "func": ..., "args": ..., "kwargs": ...}``:
  compile a probe from the check file and call it with the module first;
- ``{"op": "names"}``: the module's public top-level names.

Every answer is ``{"ok": value}``, ``{"raised": {...}}``, ``{"missing": name}`` or ``{"unsendable": why}``,
plus ``forbidden``: the exercise's forbidden APIs that student code has called so far
(:mod:`grader.sandbox.tripwire`). Values go through the encoder captured before the student's module is
imported.
"""

from __future__ import annotations

import builtins
import traceback
from collections.abc import Callable, Collection, Iterable
from typing import Any

import numpy as np
import torch

from grader import wire
from grader.sandbox.notebook_runner import cell_of
from grader.sandbox.tripwire import Tripwire


class Responder:
    """Answers the judge's requests about one module.

    Built before student code runs, so the functions it holds (the encoder's
    torch and numpy methods, ``compile``, ``exec``...) are the real ones.
    ``tripwire`` (the exercise's forbidden APIs) learns which code is a probe's,
    and every answer reports what it caught.
    """

    def __init__(self, module: Callable[[], Any], paths: Iterable[str], tripwire: Tripwire | None = None) -> None:
        self.module, self.paths, self.tripwire = module, set(paths), tripwire  # paths: the student's files
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
    """The exception's class names, most derived first."""
    try:
        return [c.__name__ for c in type(exc).__mro__][:12]
    except BaseException:  # noqa: BLE001 - a hostile class may break introspection
        return ["BaseException"]
