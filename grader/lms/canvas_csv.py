"""A file for Canvas's gradebook import (Grades > Import), filled in from the instructor's gradebook export.

The export (Grades > Export) is the template. Its header is ``Student, ID,
[SIS User ID,] SIS Login ID, [Root Account,] Section``, then a column per
assignment titled ``Title (id)``, then read-only totals (``Current Score``,
``Final Grade`` ...); under it an optional ``Muted`` / ``Manual Posting`` row
and a ``Points Possible`` row, then a row per student. Canvas's importer
(``GradebookImporter``) finds a row's student by ``ID``, else SIS User ID,
else SIS Login ID, else name, and updates only the grades that changed.

The file written keeps the student columns and that row order, cell for cell,
and one assignment column: the one chosen, its grade filled in for each
matched student (unmatched students keep the grade they had, which Canvas
leaves alone). Other assignments are dropped, so grades entered in Canvas
after the export are never overwritten with the export's older ones, and the
read-only totals go too (Canvas ignores them anyway).

Nothing dlgrade writes here is student text: grades are numbers, and the
student cells are Canvas's own, copied as they are. They are Canvas's match
keys, so a leading ``'`` against spreadsheet formulas (as in gradebook.csv)
would break the name match; Canvas's export already writes a name that starts
with ``=`` as ``="..."``, and this file is for Canvas, not for a spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.exceptions import UsageError
from grader.lms.csv_files import Export, Table, read_table
from grader.lms.grades import lms_grade, scale_notes
from grader.lms.matching import Candidate, match, normalised
from grader.results import SubmissionResult

TIERS = ("SIS User ID", "SIS Login ID", "name")  # the order Canvas itself tries them (after its own ID)
TOTALS = re.compile("Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade"
                    "|Override Score|Override Grade|Override Status")  # Canvas's read-only columns
TITLE_AND_ID = re.compile(r"(?P<title>.*?)\s*\((?P<id>\d+)\)\s*")
MUTED = re.compile(r"\s*(Muted|Manual Posting.*)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CanvasTemplate:
    """A Canvas gradebook export: ``rows[0]`` the header, the student columns up to and including ``section``."""

    table: Table
    section: int

    @property
    def header(self) -> tuple[str, ...]:
        """The header row, as exported."""
        return self.table.rows[0]

    def assignments(self) -> list[int]:
        """The columns an assignment's grades may be in: after the student columns, not a read-only total."""
        points = next((row for row in self.table.rows[1:] if _points_row(row)), ())
        return [i for i in range(self.section + 1, len(self.header))
                if not TOTALS.search(self.header[i]) and "read only" not in _cell(points, i)]

    def column(self, wanted: str) -> int:
        """The assignment column ``wanted`` names: the whole header, the title before ``(id)``, or the id."""
        key = normalised(wanted)
        keys = {key, key.removeprefix("(").removesuffix(")")}
        hits = [i for i in self.assignments() if keys & {normalised(self.header[i]), *_title_and_id(self.header[i])}]
        listed = "; ".join(self.header[i] for i in self.assignments()) or "none"
        if not hits:
            raise UsageError(f"no assignment column {wanted!r} in the Canvas gradebook; its assignments: {listed}")
        if len(hits) > 1:
            raise UsageError(f"{wanted!r} names {len(hits)} assignment columns ("
                             + "; ".join(self.header[i] for i in hits) + "): give the number in brackets")
        return hits[0]


def read_template(path: Path) -> CanvasTemplate:
    """The Canvas gradebook export at ``path``; a clear error when it is not one."""
    table = read_table(path, "Canvas gradebook")
    header = [cell.strip() for cell in table.rows[0]]
    section = header.index("Section") if "Section" in header else -1
    if len(header) < 4 or "Student" not in header[0] or "ID" not in header[1] or not 1 < section < 7:
        raise UsageError(f"{path} is not a Canvas gradebook export (Grades > Export): its header should begin "
                         f"Student, ID, SIS User ID, SIS Login ID, Section; it begins {', '.join(header[:5])}")
    return CanvasTemplate(table, section)


def canvas_import(template: CanvasTemplate, assignment: str, results: Sequence[SubmissionResult]) -> Export:
    """The import file: the student columns and ``assignment``'s, each matched student's final score in it."""
    column = template.column(assignment)
    students = [i for i, row in enumerate(template.table.rows) if i and not _points_row(row) and not _muted(row)]
    header = [h.strip() for h in template.header]
    candidates = [_candidate(template.table.rows[i], header) for i in students]
    matching = match(candidates, TIERS, [r.submission for r in results])
    by_id = {r.submission: r for r in results}
    grades = {i: lms_grade(by_id[m.student]) for i, m in zip(students, matching.found, strict=True) if m}
    rows = tuple((*(_cell(row, c) for c in range(template.section + 1)), grades.get(i, _cell(row, column)))
                 for i, row in enumerate(template.table.rows))
    points = next((_number(_cell(row, column)) for row in template.table.rows[1:] if _points_row(row)), None)
    return Export(Table(rows, template.table.delimiter, template.table.bom), matching, scale_notes(points, results))


def _candidate(row: tuple[str, ...], header: list[str]) -> Candidate:
    def by_name(name: str) -> str:
        return _cell(row, header.index(name)) if name in header else ""

    name = _cell(row, 0)
    if name.startswith('="') and name.endswith('"'):  # Canvas's own guard for a name that starts with "="
        name = name[2:-1]
    last, comma, first = name.partition(",")
    names = (name, f"{first} {last}") if comma else (name,)  # "Last, First" as Canvas sorts names, too
    return Candidate(name, ((by_name("SIS User ID"),), (by_name("SIS Login ID"),), names))


def _title_and_id(header: str) -> tuple[str, ...]:
    found = TITLE_AND_ID.fullmatch(header)
    return (normalised(found["title"]), found["id"]) if found else ()


def _points_row(row: tuple[str, ...]) -> bool:
    return "Points Possible" in _cell(row, 0)


def _muted(row: tuple[str, ...]) -> bool:
    return all(MUTED.fullmatch(cell) for cell in row)


def _cell(row: tuple[str, ...], i: int) -> str:
    return row[i] if i < len(row) else ""


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None
