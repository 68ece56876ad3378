"""Which file a notebook check grades: the path given, else the kernel's own notebook, else NAME.ipynb or .py here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".ipynb", ".py")
# Where the frontend says which notebook the kernel runs: ipykernel copies Jupyter Server's JPY_SESSION_NAME
# into __session__; VS Code sets __vsc_ipynb_file__.
SESSION_NAMES = ("__session__", "__vsc_ipynb_file__")


class NotFound(Exception):
    """No file to grade; the message says what to pass."""


@dataclass(frozen=True)
class Target:
    """The saved file to grade, the exercise to grade in it (``None``: those the file holds), and whether it is
    the notebook this kernel runs (then the kernel's history can tell unsaved changes)."""

    path: Path
    exercise: str | None
    own: bool


def session_notebook(namespace: Mapping[str, object]) -> Path | None:
    """The notebook this kernel runs, as its frontend told it; ``None`` when it did not.

    Jupyter Server gives a path relative to its root folder (older versions) or an absolute one; the kernel
    starts in the notebook's folder, which lies under that root.
    """
    for value in [*(namespace.get(name) for name in SESSION_NAMES), os.environ.get("JPY_SESSION_NAME")]:
        if not isinstance(value, str) or not value.endswith(".ipynb"):
            continue
        given, here = Path(value), Path.cwd()
        candidates = [given] if given.is_absolute() else [*(f / given for f in (here, *here.parents)),
                                                          here / given.name]
        for candidate in candidates:
            if candidate.is_file():
                return candidate.resolve()
    return None


def _is_path(text: str) -> bool:
    return text.endswith(SUFFIXES) or "/" in text or os.sep in text


def find_target(what: str, notebook: str | None, namespace: Mapping[str, object]) -> Target:
    """``what`` is an exercise name or a file; ``notebook`` the file holding exercise ``what``."""
    own = session_notebook(namespace)
    if notebook is None and not _is_path(what):
        if own is not None:
            return Target(own, what, True)
        for suffix in SUFFIXES:
            if Path(what + suffix).is_file():
                return Target(Path(what + suffix).resolve(), what, suffix == ".ipynb")
        raise NotFound(f"no {what}.ipynb or {what}.py in {Path.cwd()}, and the kernel does not know its notebook: "
                       f'give the file, e.g. check("{what}", "path/to/{what}.ipynb")')
    path = Path(what if notebook is None else notebook).resolve()
    if notebook is not None and _is_path(what):
        raise NotFound(f"give an exercise name, then its file: check(NAME, {notebook!r})")
    if not path.is_file():
        raise NotFound(f"{path} does not exist")
    return Target(path, None if notebook is None else what, path.suffix == ".ipynb" and own in (None, path))
