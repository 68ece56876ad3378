"""The CSV files an LMS exports and imports: read and written with the csv module, delimiter and BOM kept.

A cell is one string whatever it holds (commas, quotes, newlines, accents),
so names round-trip. Canvas exports with ``;`` where the decimal mark is a
comma and with a UTF-8 byte order mark when asked to; a file written from a
template keeps both, and Canvas's import reads either. Moodle's grade export
may be tab-separated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from grader.exceptions import UsageError
from grader.lms.matching import Matching

BOM = "\ufeff"
DELIMITERS = (",", ";", "\t")  # the one that splits the header into most fields wins; a tie goes to the comma


@dataclass(frozen=True)
class Table:
    """The rows of a CSV file (the header first) and how the file spells them."""

    rows: tuple[tuple[str, ...], ...]
    delimiter: str = ","
    bom: bool = False


@dataclass(frozen=True)
class Export:
    """A file for an LMS's grade import, who is in it and who is not, and anything the instructor should know."""

    table: Table
    matching: Matching
    notes: tuple[str, ...] = ()


def read_table(path: Path, what: str) -> Table:
    """``path`` as a :class:`Table` (``what`` names the file in errors); a clear error for a missing, non-UTF-8
    or empty file."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the {what} {path}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        raise UsageError(f"the {what} {path} is not UTF-8 text: export it again as CSV (UTF-8)")
    bom = text.startswith(BOM)
    text = text.removeprefix(BOM)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(DELIMITERS, key=lambda d: _fields(first, d))
    rows = tuple(tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                 if any(cell.strip() for cell in row))
    if not rows:
        raise UsageError(f"the {what} {path} is empty")
    return Table(rows, delimiter, bom)


def write_table(table: Table, path: Path) -> None:
    """Write ``table`` to ``path`` (UTF-8, with a byte order mark when the table had one)."""
    try:
        with path.open("w", newline="", encoding="utf-8-sig" if table.bom else "utf-8") as fh:
            csv.writer(fh, delimiter=table.delimiter).writerows(table.rows)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}")


def _fields(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))
