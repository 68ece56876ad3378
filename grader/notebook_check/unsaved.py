"""Whether the kernel ran code that its saved notebook does not hold: then the verdict is not about that code.

The kernel's history (IPython's ``input_hist_raw``: entry ``n`` is the cell
run with execution count ``n``) is compared with the saved file's code cells.
A saved cell whose execution count points at its own text in the history
dates the save: what ran up to there was saved, or was replaced by what was.
Every later entry, but the checker's own cells and the running cell, must be
the text of a saved cell. Without such a cell (a notebook saved by another
kernel, or never run) every entry is compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

# A cell holding nothing but the checker: %load_ext grader, %dlgrade ..., from grader import check, check(...).
_CHECKER_LINE = re.compile(r"\s*(%(re)?load_ext\s+grader|%dlgrade\b.*|from\s+grader\s+import\s.*|import\s+grader"
                           r"|(grader\.)?(check|hint)\(.*\))?\s*(#.*)?")


def saved_code_cells(notebook: Path) -> list[tuple[str, int | None]] | None:
    """The saved file's code cells: (source, execution count); ``None`` when it cannot be read."""
    try:
        doc = json.loads(notebook.read_text(encoding="utf-8"))
        cells = [c for c in doc["cells"] if c.get("cell_type") == "code"]
        out = []
        for cell in cells:
            source, count = cell.get("source", ""), cell.get("execution_count")
            out.append(("".join(source) if isinstance(source, list) else str(source),
                        count if isinstance(count, int) else None))
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _checker_only(text: str) -> bool:
    return all(_CHECKER_LINE.fullmatch(line) for line in text.splitlines())


def has_unsaved_changes(history: Sequence[str], notebook: Path) -> bool:
    """Whether some cell the kernel ran is not among the saved cells (``history[-1]`` is the running cell); an
    unreadable file has none (its check says what is wrong with it)."""
    cells = saved_code_cells(notebook)
    if cells is None:
        return False
    texts = {source.strip() for source, _ in cells}
    saved_at = max((n for source, n in cells
                    if n is not None and 0 < n < len(history) - 1 and history[n].strip() == source.strip()), default=0)
    return any(entry.strip() not in texts and not _checker_only(entry) for entry in history[saved_at + 1:-1])
