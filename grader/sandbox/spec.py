"""What a runner is started with: one exercise of one submission, as plain data.

The judge builds a :class:`RunnerSpec`, sends it as JSON (:mod:`grader.sandbox.handoff`), and the runner
reads it back once with :meth:`RunnerSpec.from_wire` before any student code runs. A spawned runner also
gets :class:`SpawnSettings`: how to isolate itself, which a forked runner inherits from its zygote instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EngineName = Literal["fast", "kernel"]  # notebooks: IPython in the runner, or nbclient and a real kernel
ENGINES: tuple[EngineName, ...] = ("fast", "kernel")


@dataclass(frozen=True)
class RunnerLimits:
    """Per-runner limits (from the course manifest)."""

    memory_bytes: int
    processes: int

    def to_wire(self) -> dict[str, Any]:
        return {"memory_bytes": self.memory_bytes, "processes": self.processes}

    @classmethod
    def from_wire(cls, doc: Any) -> RunnerLimits:
        """Read what :meth:`to_wire` wrote; raise ``ValueError`` for anything else."""
        fields = _fields(doc, ("memory_bytes", "processes"))
        return cls(_int(fields["memory_bytes"]), _int(fields["processes"]))


@dataclass(frozen=True)
class RunnerSpec:
    """One exercise for one runner: the student's module and how to load and limit it."""

    module: str  # the exercise's module name
    source: str  # the file's text; for a notebook, its code cells as Python (written beside it for tracebacks)
    limits: RunnerLimits
    cells: tuple[tuple[int, str], ...] | None = None  # a notebook's code cells (position, source); None for a .py
    cell_limit: float = 10.0  # seconds per notebook cell
    engine: EngineName = "fast"
    helpers: tuple[tuple[str, str], ...] = ()  # the student's other modules beside it: (module name, source)
    forbidden: tuple[str, ...] = ()  # the exercise's forbidden APIs, wired before student code runs

    def to_wire(self) -> dict[str, Any]:
        """The spec as JSON data."""
        return {"module": self.module, "source": self.source, "limits": self.limits.to_wire(),
                "cells": None if self.cells is None else [list(cell) for cell in self.cells],
                "cell_limit": self.cell_limit, "engine": self.engine, "helpers": dict(self.helpers),
                "forbidden": list(self.forbidden)}

    @classmethod
    def from_wire(cls, doc: Any) -> RunnerSpec:
        """Read what :meth:`to_wire` wrote; raise ``ValueError`` for anything else."""
        f = _fields(doc, ("module", "source", "limits", "cells", "cell_limit", "engine", "helpers", "forbidden"))
        cells = None if f["cells"] is None else tuple(_cell(c) for c in _list(f["cells"]))
        cell_limit, engine, helpers = f["cell_limit"], f["engine"], f["helpers"]
        if isinstance(cell_limit, bool) or not isinstance(cell_limit, int | float):
            raise ValueError("cell_limit: expected a number")
        if engine not in ENGINES:
            raise ValueError(f"engine: expected one of {', '.join(ENGINES)}")
        if not isinstance(helpers, dict):
            raise ValueError("helpers: expected an object")
        return cls(_str(f["module"]), _str(f["source"]), RunnerLimits.from_wire(f["limits"]), cells, float(cell_limit),
                   engine, tuple((name, _str(text)) for name, text in helpers.items()),
                   tuple(_str(api) for api in _list(f["forbidden"])))


@dataclass(frozen=True)
class SpawnSettings:
    """What a spawned runner needs besides its spec: the layers' settings, and the layers the judge reported."""

    hide: tuple[str, ...]  # paths to cover
    keep: tuple[str, ...]  # paths under them to leave visible
    disabled: frozenset[str]  # optional layers turned off
    in_force: tuple[str, ...]  # layers the judge said are in force: a runner that cannot have one must not run

    def to_wire(self) -> dict[str, Any]:
        return {"hide": list(self.hide), "keep": list(self.keep), "disabled": sorted(self.disabled),
                "in_force": list(self.in_force)}

    @classmethod
    def from_wire(cls, doc: Any) -> SpawnSettings:
        """Read what :meth:`to_wire` wrote; raise ``ValueError`` for anything else."""
        names = ("hide", "keep", "disabled", "in_force")
        f = _fields(doc, names)
        hide, keep, disabled, in_force = (tuple(_str(s) for s in _list(f[name])) for name in names)
        return cls(hide, keep, frozenset(disabled), in_force)


def _fields(doc: Any, names: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(doc, dict) or set(doc) != set(names):
        raise ValueError(f"expected an object with the fields {', '.join(names)}")
    return doc


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _cell(value: Any) -> tuple[int, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("expected a cell: [position, source]")
    return _int(value[0]), _str(value[1])


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected an integer")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value
