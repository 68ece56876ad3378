"""The forbidden-API tripwire: calls from student code to an exercise's forbidden callables are recorded.

The static check (:mod:`grader.submission.static`) sees the names a source
writes; this sees the calls, however the callable was reached (``getattr``
with a built string, ``importlib.import_module``, ``vars(module)[name]``,
``eval``). Before the student's code loads, each forbidden dotted name is
replaced, in every loaded module that holds it, by a wrapper that records the
call and then calls the original, so the verdict is the static check's: only
the forbidden-API check loses its points. A class is replaced by a subclass
that records when it is instantiated or subclassed, so ``isinstance`` checks
against the original still hold.

A call counts when the nearest calling frame outside the installed libraries
(the standard library, site-packages, the engine) is not a probe's: checks'
probes run here too and may use the API themselves, and a student may hand
the API to library code as a callback. A subclass counts when its own class
statement is not library code (torch defines subclasses of its own). Calls
are flagged in memory shared with forked children, so a DataLoader worker's
call counts too.
"""

from __future__ import annotations

import importlib
import mmap
import os
import sys
import sysconfig
import types
from collections.abc import Callable, Sequence
from typing import Any

import grader


class Tripwire:
    """Wrappers around one exercise's forbidden APIs, and which of them student code called."""

    def __init__(self, apis: Sequence[str]) -> None:
        self.apis = list(apis)
        self._flags = mmap.mmap(-1, max(len(self.apis), 1))
        self._probes: dict[int, types.CodeType] = {}  # by id: an equal code object built by the student is not one
        self._getframe = sys._getframe
        self._group: dict[int, int] = {}  # index of an API -> index of the first name of the same object
        groups: dict[int, list[tuple[int, Any, Any]]] = {}  # id(original) -> (index, parent, original) per name
        for index, api in enumerate(self.apis):
            found = _resolve(api)
            if found is not None:
                groups.setdefault(id(found[1]), []).append((index, *found))
        for names in groups.values():
            self._install(names)

    def trust(self, code: types.CodeType) -> None:
        """Mark a probe's compiled code (and every function in it): its own calls are the check's, not the student's."""
        self._probes[id(code)] = code
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                self.trust(const)

    def tripped(self) -> list[list[str]]:
        """The forbidden APIs student code called, each with its aliases (names of the same object)."""
        by_object: dict[int, list[str]] = {}
        for index, api in enumerate(self.apis):
            if self._flags[index]:
                by_object.setdefault(self._group[index], []).append(api)
        return list(by_object.values())

    def _install(self, names: list[tuple[int, Any, Any]]) -> None:
        """Put one wrapper wherever the original is reachable by one of its forbidden names."""
        indices = [index for index, _, _ in names]
        self._group.update((index, indices[0]) for index in indices)
        original = names[0][2]
        record = self._recorder(indices)
        wrapper = (_class_wrapper if isinstance(original, type) else _function_wrapper)(original, record)
        leaves = {self.apis[index].rpartition(".")[2] for index in indices}
        for module in list(sys.modules.values()):
            for leaf in leaves:
                if _holds(module, leaf, original):
                    _set(module, leaf, wrapper)
        for index, parent, _ in names:  # a class attribute (``torch.Tensor.scatter_``) is in no module
            if not isinstance(parent, types.ModuleType):
                _set(parent, self.apis[index].rpartition(".")[2], wrapper)

    def _recorder(self, indices: list[int]) -> Callable[[bool], None]:
        flags, probes, getframe, library = self._flags, self._probes, self._getframe, _LIBRARY

        def record(outward: bool = True) -> None:
            """Flag the call if student code made it (``outward``: looking past library frames for the caller)."""
            if all(flags[i] for i in indices):
                return
            frame: types.FrameType | None = getframe(2)  # 0: record, 1: the wrapper, 2: its caller
            while frame is not None:
                code = frame.f_code
                if id(code) in probes:
                    return
                if not code.co_filename.startswith(library):
                    for i in indices:
                        flags[i] = 1
                    return
                frame = frame.f_back if outward else None

        return record


def _library_prefixes() -> tuple[str, ...]:
    """Where installed code lives: frames from there are never the student's."""
    paths = sysconfig.get_paths()
    folders = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    folders.add(os.path.dirname(grader.__file__))
    prefixes = {os.path.join(f, "") for f in folders} | {os.path.join(os.path.realpath(f), "") for f in folders}
    return (*sorted(prefixes), "<frozen ")


_LIBRARY = _library_prefixes()  # at import, in the warm parent: runners do not pay for the realpath calls


def _resolve(api: str) -> tuple[Any, Any] | None:
    """``(parent, object)`` for a dotted name: the longest importable module, then attributes; ``None`` if absent."""
    parts = api.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            parent: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attr in parts[split:-1]:
                parent = getattr(parent, attr)
            return parent, getattr(parent, parts[-1])
        except AttributeError:
            return None
    return None


def _holds(module: object, leaf: str, original: Any) -> bool:
    try:
        namespace = vars(module)
        return isinstance(namespace, dict) and namespace.get(leaf) is original
    except Exception:  # noqa: BLE001 - sys.modules may hold odd objects (lazy modules)
        return False


def _set(holder: object, leaf: str, wrapper: Any) -> None:
    try:
        setattr(holder, leaf, wrapper)
    except (AttributeError, TypeError):
        pass


def _function_wrapper(original: Callable[..., Any], record: Callable[[bool], None]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        record(True)
        return original(*args, **kwargs)

    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(wrapper, attr, getattr(original, attr))
        except (AttributeError, TypeError):
            continue
    return wrapper


def _class_wrapper(original: type, record: Callable[[bool], None]) -> type:
    made: list[type[Any]] = []  # the subclass, for super() in its methods

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        record(True)
        super(made[0], self).__init__(*args, **kwargs)

    def __init_subclass__(cls: Any, /, **kwargs: Any) -> None:
        record(False)  # the class statement itself: one that torch imports later is not the student's
        super(made[0], cls).__init_subclass__(**kwargs)

    namespace = {"__init__": __init__, "__init_subclass__": classmethod(__init_subclass__),
                 "__module__": original.__module__, "__qualname__": original.__qualname__, "__doc__": original.__doc__}
    made.append(type(original)(original.__name__, (original,), namespace))
    if "__parameters__" in vars(original):  # a generic class stays one: ``DistributedSampler[T]`` in torch's code
        type.__setattr__(made[0], "__parameters__", vars(original)["__parameters__"])
    return made[0]
