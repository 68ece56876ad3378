"""``%dlgrade check NAME_OR_PATH [NOTEBOOK]`` and ``%dlgrade hint ...``: ``check`` and ``hint`` as a line magic."""

from __future__ import annotations

import os
import shlex

from IPython.core.interactiveshell import InteractiveShell

from grader.notebook_check.client import run, warm_up

USAGE = "usage: %dlgrade check NAME_OR_PATH [NOTEBOOK]   or   %dlgrade hint NAME_OR_PATH [NOTEBOOK]"


def dlgrade(line: str) -> None:
    """Check (or, with ``hint``, check and show hints for) an exercise's saved file."""
    try:
        words = [w.strip("\"'") for w in shlex.split(line, posix=os.name != "nt")]  # Windows: keep backslashes
    except ValueError:
        words = []
    if len(words) not in (2, 3) or words[0] not in ("check", "hint"):
        print(USAGE)
        return
    run(words[1], words[2] if len(words) == 3 else None, hints=words[0] == "hint")


def register(ipython: InteractiveShell) -> None:
    """Add the magic, and start the check server so that the first check need not wait for it."""
    ipython.magics_manager.register_function(dlgrade, "line", "dlgrade")
    warm_up()
