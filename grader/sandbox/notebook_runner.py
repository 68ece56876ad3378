"""Running a notebook's code cells inside the runner: the fast engine.

Cells run in order in an IPython shell whose namespace is the exercise's
module, so magics work and the checks see what the notebook defined. A cell
that raises is recorded and the next cell runs (as in Jupyter with "run
all"); a cell that runs longer than its limit is interrupted (SIGALRM) and
recorded; shell escapes and package installs are skipped with a note.
Untrusted code runs here; the records are plain data for the judge.
"""

from __future__ import annotations

import re
import signal
import types
from collections.abc import Callable, Sequence
from typing import Any

from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

SKIPPED_LINE = re.compile(r"^\s*(!|%(pip|conda|matplotlib|load_ext|autoreload|env|cd|sx|system)\b)")
CHECKER_LINE = re.compile(r"^\s*%((re)?load_ext\s+grader\s*$|dlgrade\b)")  # the notebook's own checks: no-ops, unsaid
SKIPPED_CELL = re.compile(r"^\s*%%(bash|sh|script|system|html|javascript|js|writefile|capture)\b")
CELL_FILE = re.compile(r"^<ipython-input-(\d+)-[0-9a-f]+>$")


class CellTimeout(KeyboardInterrupt):
    """Raised in a cell that ran past its limit (IPython records it like an interrupt)."""


def new_shell() -> InteractiveShell:
    """An IPython shell without history, colours or display hooks that reach outside."""
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autocall = 0
    return InteractiveShell.instance(config=config)


def neutralise_shell_lines(source: str) -> tuple[str, list[str]]:
    """Replace shell escapes and environment-changing magics; return the code and notes."""
    if SKIPPED_CELL.match(source):
        return "pass", [f"skipped a {source.split()[0]} cell (shell and display cells do not run while grading)"]
    notes, lines = [], []
    for line in source.splitlines():
        if CHECKER_LINE.match(line):
            lines.append(line[: len(line) - len(line.lstrip())] + "pass")
        elif SKIPPED_LINE.match(line):
            notes.append(f"skipped `{line.strip()[:60]}` (shell commands and installs do not run while grading)")
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}pass")
        else:
            lines.append(line)
    return "\n".join(lines), notes


def cell_of(filename: str) -> int | None:
    """The cell number of an IPython code name, or ``None``."""
    match = CELL_FILE.match(filename)
    return int(match.group(1)) if match else None


def run_cells(
    shell: InteractiveShell,
    module: types.ModuleType,
    cells: Sequence[tuple[int, str]],
    cell_limit: float,
    describe: Callable[[BaseException], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Run ``cells`` (number, source) into ``module``; return a record per cell that did not just run."""
    run_cell = InteractiveShell.run_cell  # bound before any cell can patch the class
    shell.user_module = module
    shell.user_ns = module.__dict__
    shell.init_user_ns()
    # Errors are recorded from each cell's result; IPython's own traceback printing would only repeat them
    # (and may be patched by a cell anyway).
    shell.showtraceback = shell.showsyntaxerror = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]
    records: list[dict[str, Any]] = []

    def alarm(signum: int, frame: Any) -> None:
        raise CellTimeout(f"cell ran longer than {cell_limit:g} s")

    for number, source in cells:
        code, notes = neutralise_shell_lines(source)
        records.extend({"cell": number, "status": "skipped", "message": note} for note in notes)
        shell.execution_count = number
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, cell_limit)
        try:
            result = run_cell(shell, code, store_history=True, silent=False)
        except CellTimeout:
            records.append({"cell": number, "status": "timeout", "message": f"cut off after {cell_limit:g} s"})
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        error = result.error_before_exec or result.error_in_exec
        if isinstance(error, CellTimeout):
            records.append({"cell": number, "status": "timeout", "message": f"cut off after {cell_limit:g} s"})
        elif error is not None:
            records.append({"cell": number, "status": "error", **describe(error)})
    return records
