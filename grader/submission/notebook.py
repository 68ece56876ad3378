"""Reading a student's notebook: its code cells, whatever tool or year wrote it.

nbformat reads and upgrades versions 1 to 4; a notebook from a newer major
version is read for its cells as version 4 with a note. Outputs (huge
images included) are never kept: only code cell sources matter. Nothing is
executed here.
"""

from __future__ import annotations

import ast
import json
import warnings
from dataclasses import dataclass
from typing import Any

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from grader import json_shape

MAX_NOTEBOOK_BYTES = 64 * 2**20
MAX_JSON_VALUES = 2_000_000  # parsing builds an object per value: caps the judge's memory (~130 MiB) and time
MAX_CELLS = 5_000  # each is validated and transformed in the judge


@dataclass(frozen=True)
class Notebook:
    """A notebook's code cells (1-based position among all cells, source) and what was noticed reading it."""

    cells: tuple[tuple[int, str], ...]
    notes: tuple[str, ...] = ()

    def python(self) -> str:
        """All code cells as plain Python (magics turned into calls), for static checks."""
        transform = TransformerManager().transform_cell
        parts = []
        with warnings.catch_warnings():  # IPython's and the parser's warnings are not the student's (-W error)
            warnings.simplefilter("ignore")
            for number, source in self.cells:
                try:
                    code = transform(source)
                    ast.parse(code)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    continue  # a cell that does not parse (or nests too deep) defines nothing; the runner reports it
                parts.append(f"# cell {number}\n{code}")
        return "\n".join(parts)

    def defines(self) -> set[str]:
        """Top-level names the notebook's cells define (functions, classes, assignments, imports)."""
        names: set[str] = set()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(self.python())
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return names
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
        return names


def read_notebook(data: bytes, name: str) -> tuple[Notebook | None, str | None]:
    """Parse notebook bytes; return the notebook, or ``None`` and a student-facing problem."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        return None, (f"{name} is {len(data) / 2**20:.0f} MiB; "
                      f"notebooks may be at most {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    if len(data) > MAX_JSON_VALUES and json_shape.values(data) > MAX_JSON_VALUES:
        return None, (f"{name} holds too much to read (more than {MAX_JSON_VALUES} JSON values); clear its outputs "
                      "in Jupyter (Edit > Clear Outputs of All Cells) and save it again")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, f"{name} is not a notebook (not UTF-8 text)"
    except json.JSONDecodeError as exc:
        return None, (f"{name} is not a valid notebook: the JSON is broken at line {exc.lineno}, column {exc.colno} "
                      f"({exc.msg}); open it in Jupyter and save it again")
    except (RecursionError, MemoryError):
        return None, f"{name} is not a valid notebook: its JSON is nested too deeply to read"
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw):
        return None, f"{name} is not a Jupyter notebook (no cells in it)"
    count = _cell_count(raw)
    if count > MAX_CELLS:
        return None, f"{name} has {count} cells; notebooks may have at most {MAX_CELLS}"
    notes: list[str] = []
    major = raw.get("nbformat")
    if isinstance(major, int) and major > nbformat.current_nbformat:
        notes.append(f"{name} was written by a newer Jupyter (nbformat {major}); read as version 4")
        return Notebook(_cells_v4(raw.get("cells", [])), tuple(notes)), None
    try:
        with warnings.catch_warnings():  # nbformat warns about what it repairs (cell ids); -W error must not change it
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for malformed notebooks
        cells = _cells_v4(raw.get("cells", [])) if isinstance(raw.get("cells"), list) else ()
        if not cells:
            return None, f"{name} could not be read as a notebook ({type(exc).__name__}: {str(exc)[:200]})"
        notes.append(f"{name} is not a well-formed notebook ({type(exc).__name__}); its code cells were read anyway")
        return Notebook(cells, tuple(notes)), None
    if isinstance(major, int) and major < 4:
        notes.append(f"{name} is an old notebook (nbformat {major}); upgraded to version 4")
    return Notebook(_cells_v4(nb.cells), tuple(notes)), None


def _cell_count(raw: dict[str, Any]) -> int:
    """Cells of a version 4 notebook, or of an old one's worksheets."""
    sheets = raw.get("worksheets")
    lists = [raw.get("cells")] + ([s.get("cells") for s in sheets if isinstance(s, dict)] if isinstance(sheets, list)
                                  else [])
    return sum(len(cells) for cells in lists if isinstance(cells, list))


def _cells_v4(cells: Any) -> tuple[tuple[int, str], ...]:
    found = []
    for position, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        found.append((position, str(source)))
    return tuple(found)
