"""How a runner loads the student's module and answers for it: one engine per kind of submission.

- :class:`FileEngine`: a ``.py`` file, imported as the exercise's module;
- :class:`NotebookEngine` (the fast engine): a notebook's code cells, run in order into the module by a
  warm IPython shell in the runner (:mod:`grader.sandbox.notebook_runner`);
- :class:`KernelEngine` (``--kernel``): a notebook run by nbclient in a real kernel, a child of the runner,
  which answers the requests from there (:mod:`grader.sandbox.kernel_runner`).

An engine is built before any student code runs. :meth:`Engine.load` runs the student's code and gives the
runner's first answer, ``{"loaded": True, "cells": [...]}`` (a record per notebook cell that did not just
run) or ``{"load_error": {...}}``; :meth:`Engine.respond` answers one request
(:mod:`grader.sandbox.responder`). Answers include the forbidden APIs caught so far.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import types
from abc import ABC, abstractmethod
from typing import Any, Protocol

from grader.sandbox.notebook_runner import new_shell, run_cells
from grader.sandbox.responder import Responder
from grader.sandbox.spec import RunnerSpec
from grader.sandbox.tripwire import Tripwire


class Engine(Protocol):
    """Runs one exercise's student code and answers for it."""

    def load(self) -> dict[str, Any]:
        """Run the student's code; the first answer: loaded (with cell records) or the load error."""
        ...

    def respond(self, doc: Any, blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        """One request in, one answer out (never raises for anything the student's code does)."""
        ...


def open_engine(spec: RunnerSpec, paths: list[str], out: io.TextIOBase, shell: Any = None) -> Engine:
    """The engine for ``spec`` (a ``.py`` file's engine whatever ``spec.engine`` says).

    ``paths``: the student's files, the module's first; ``out``: where the kernel's output goes; ``shell``:
    a warm IPython shell for the fast engine (made when ``None``).
    """
    if spec.cells is None:
        return FileEngine(spec, paths)
    if spec.engine == "kernel":
        return KernelEngine(spec, paths, out)
    return NotebookEngine(spec, paths, shell)


class _InProcess(ABC):
    """Student code run in the runner itself; the forbidden APIs are wired here, before it runs."""

    def __init__(self, spec: RunnerSpec, paths: list[str]) -> None:
        self.spec, self.path = spec, paths[0]
        self._module: list[types.ModuleType] = []  # the loaded module; requests come only once it is there
        self.responder = Responder(lambda: self._module[0], paths, Tripwire(spec.forbidden) if spec.forbidden else None)

    def load(self) -> dict[str, Any]:
        try:
            module, records = self._run()
        except BaseException as exc:  # noqa: BLE001 - any failure at import is reported
            answer: dict[str, Any] = {"load_error": self.responder.raised(exc)}
        else:
            self._module.append(module)
            answer = {"loaded": True, "cells": records}
        self.responder.report(answer)
        return answer

    def respond(self, doc: Any, blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        answer, answer_blobs = self.responder.respond(doc, blobs)
        self.responder.report(answer)
        return answer, answer_blobs

    @abstractmethod
    def _run(self) -> tuple[types.ModuleType, list[dict[str, Any]]]:
        """Run the student's code into their module; return it and the cell records."""


class FileEngine(_InProcess):
    """A ``.py`` file, imported from the runner's working folder."""

    def _run(self) -> tuple[types.ModuleType, list[dict[str, Any]]]:
        found = importlib.util.spec_from_file_location(self.spec.module, self.path)
        assert found is not None and found.loader is not None
        module = importlib.util.module_from_spec(found)
        sys.modules[self.spec.module] = module
        found.loader.exec_module(module)
        return module, []


class NotebookEngine(_InProcess):
    """A notebook's code cells, run into the module by an IPython shell in the runner."""

    def __init__(self, spec: RunnerSpec, paths: list[str], shell: Any = None) -> None:
        super().__init__(spec, paths)
        self.shell = shell

    def _run(self) -> tuple[types.ModuleType, list[dict[str, Any]]]:
        module = types.ModuleType(self.spec.module)
        module.__file__ = self.path
        sys.modules[self.spec.module] = module
        shell = self.shell or new_shell()
        return module, run_cells(shell, module, self.spec.cells or (), self.spec.cell_limit, self.responder.raised)


class KernelEngine:
    """A notebook run in a real kernel; the kernel wires the forbidden APIs and answers (its agent reports them)."""

    def __init__(self, spec: RunnerSpec, paths: list[str], out: io.TextIOBase) -> None:
        # Lazy: nbclient and jupyter_client load only for --kernel, not into the template every runner is forked from.
        from grader.sandbox.kernel_runner import KernelSession

        self.responder = Responder(lambda: None, paths)  # describes a kernel that cannot start
        self.session = KernelSession(spec, out)

    def load(self) -> dict[str, Any]:
        try:
            return {"loaded": True, "cells": self.session.start()}
        except BaseException as exc:  # noqa: BLE001 - a kernel that cannot start is the submission's load error
            return {"load_error": self.responder.raised(exc)}

    def respond(self, doc: Any, blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        return self.session.ask(doc, blobs)
