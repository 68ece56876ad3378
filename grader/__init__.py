"""dlgrade: a sandboxed autograder for PyTorch data-loading exercises.

In a notebook: ``%load_ext grader`` then ``%dlgrade check pad_collate``, or
``from grader import check; check("pad_collate")``. Importing this package
loads nothing else: the functions below import the notebook client when called.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """``%load_ext grader``: register the ``%dlgrade`` line magic and start the check server."""
    # Lazy: `import grader` must stay light (the CLI and every sandbox process import it).
    from grader.notebook_check.magic import register

    register(ipython)


def check(target: str | os.PathLike[str], notebook: str | os.PathLike[str] | None = None) -> None:
    """Run the public checks on the saved file of exercise (or path) ``target`` and show the result."""
    from grader.notebook_check.client import run  # lazy: see load_ipython_extension

    run(str(target), None if notebook is None else str(notebook), hints=False)


def hint(target: str | os.PathLike[str], notebook: str | os.PathLike[str] | None = None) -> None:
    """Like :func:`check`, with the instructor's hints for the checks that did not pass."""
    from grader.notebook_check.client import run  # lazy: see load_ipython_extension

    run(str(target), None if notebook is None else str(notebook), hints=True)
