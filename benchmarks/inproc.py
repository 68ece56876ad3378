"""The checks without dlgrade's sandbox: a ``student`` object that calls the student's module in-process.

Shared by the naive baseline (one fresh ``pytest`` per student), the in-process
limit (one warm interpreter) and the peers (nbgrader and otter test cells).
The hidden check files take only the ``student`` fixture and
``@pytest.mark.points``, so an object with ``call`` and ``probe`` is all they
need. Nothing here is isolated: student code runs in the checking process, as
it does in the graders a course would otherwise script.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import signal
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.checks import MissingName, NotImplementedYet, StudentError

MAGIC = re.compile(r"^\s*[!%]")


class CheckTimeout(Exception):
    """A check ran past its limit (raised from SIGALRM)."""


def _raise_timeout(signum: int, frame: Any) -> None:
    raise CheckTimeout("the check did not finish within its time limit")


class alarm:
    """``with alarm(10): ...`` raises :class:`CheckTimeout` in the main thread after 10 s (0: no limit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        if self.seconds > 0:
            self._previous = signal.signal(signal.SIGALRM, _raise_timeout)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)


def _student_error(exc: BaseException) -> StudentError:
    mro = [c.__name__ for c in type(exc).__mro__][:12]
    cls = NotImplementedYet if isinstance(exc, NotImplementedError) else StudentError
    return cls(mro, str(exc)[:2000], [])


class InProcessStudent:
    """The ``student`` fixture's API (``call``, ``probe``, ``names``) over a module in this process."""

    _compiled: dict[str, Any] = {}

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        fn = getattr(self.module, name, None)
        if fn is None:
            raise MissingName(name, None)
        args, kwargs = copy.deepcopy((args, kwargs))  # dlgrade sends copies: a student must not edit the judge's
        try:
            return fn(*args, **kwargs)
        except (CheckTimeout, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 - the student's error, as the checks expect it
            raise _student_error(exc) from None

    def probe(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import numpy as np
        import torch

        source = fn.__dlgrade_probe__  # type: ignore[attr-defined]
        namespace: dict[str, Any] = {"torch": torch, "np": np, "__name__": "probe"}
        exec(compile(source, "<probe>", "exec"), namespace)
        args, kwargs = copy.deepcopy((args, kwargs))
        try:
            return namespace[fn.__name__](self.module, *args, **kwargs)
        except (CheckTimeout, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001
            raise _student_error(exc) from None

    def names(self) -> list[str]:
        return sorted(n for n in vars(self.module) if not n.startswith("_"))


def notebook_code(path: Path) -> list[str]:
    """A notebook's code cells, shell and magic lines dropped (what a course script does with nbconvert)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in doc.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            cells.append("\n".join("pass" if MAGIC.match(line) else line for line in text.splitlines()))
    return cells


def load_module(folder: Path, name: str, cell_limit: float = 10.0) -> types.ModuleType:
    """Import ``folder/name.py`` (or run ``folder/name.ipynb``'s cells) as the module ``name``.

    A notebook cell that raises is skipped, as "Run All" with errors shown would; an
    endless cell is cut off after ``cell_limit`` seconds. Raises whatever a ``.py`` import raises.
    """
    py, nb = folder / f"{name}.py", folder / f"{name}.ipynb"
    sys.modules.pop(name, None)
    if py.exists():
        spec = importlib.util.spec_from_file_location(name, py)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    if nb.exists():
        module = types.ModuleType(name)
        module.__file__ = str(nb)
        sys.modules[name] = module
        for number, code in enumerate(notebook_code(nb), 1):
            try:
                with alarm(cell_limit):
                    exec(compile(code, f"<cell {number}>", "exec"), module.__dict__)
            except BaseException:  # noqa: BLE001 - a failing cell does not stop the notebook
                pass
        return module
    raise FileNotFoundError(f"no {name}.py or {name}.ipynb in {folder}")


def points(fn: Any) -> float:
    """A check function's ``@pytest.mark.points(n)``."""
    for mark in getattr(fn, "pytestmark", []):
        if mark.name == "points":
            return float(mark.args[0])
    return 0.0


def load_checks(path: Path) -> list[tuple[str, Callable[..., Any], float]]:
    """The ``test_*`` functions of a check file, in file order, with their points."""
    spec = importlib.util.spec_from_file_location(f"checks_{path.parent.name}_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [(name, fn) for name, fn in vars(module).items() if name.startswith("test_") and callable(fn)]
    found.sort(key=lambda item: item[1].__code__.co_firstlineno)
    return [(name, fn, points(fn)) for name, fn in found]
