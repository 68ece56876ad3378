"""A file for Moodle's grade import (Grades > Import > CSV file), from a roster of the course's students.

Moodle has no template to fill in: its import takes any CSV, and the teacher
maps one column to the user field that finds each student (email address,
username, ID number) and each other column to a grade item. The roster says
who is who: any CSV with a header row, such as Moodle's own grade export
(Grades > Export > Plain text file: ``First name, Last name, ID number, ...,
Email address``) or a hand-made ``username,email,firstname,lastname``.
Recognised columns, whatever their case and spacing: ``ID number``,
``Username``, ``Email``/``Email address``, ``First name``, ``Last name``/
``Surname``, ``Full name``; a dlgrade id is matched against them in that order.

The file written has two columns: the user key (``Email address`` or
``Username``, copied from the roster as it is: Moodle looks the user up by
that exact value, so it gets no leading ``'``) and the grade item, holding
the final score. Only matched students are written: Moodle stops the whole
import at a user it cannot find. UTF-8, comma-separated, as Moodle's import
form defaults to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from grader.exceptions import UsageError
from grader.lms.csv_files import Export, Table, read_table
from grader.lms.grades import lms_grade
from grader.lms.matching import Candidate, match
from grader.results import SubmissionResult

MoodleKey = Literal["email", "username"]
KEY_HEADERS: dict[MoodleKey, str] = {"email": "Email address", "username": "Username"}  # Moodle's own labels
TIERS = ("ID number", "username", "email", "name")
COLUMNS = {"idnumber": "idnumber", "username": "username", "email": "email", "emailaddress": "email",
           "firstname": "first", "lastname": "last", "surname": "last", "fullname": "full"}
MOODLE_MAX = 100.0  # the highest grade Moodle's import takes unless the site allows more ($CFG->unlimitedgrades)


def moodle_import(roster_path: Path, key: MoodleKey, item: str, results: Sequence[SubmissionResult]) -> Export:
    """The import file for grade item ``item``: a row per student of the roster a dlgrade id matched."""
    table = read_table(roster_path, "roster")
    columns: dict[str, int] = {}
    for i, header in enumerate(table.rows[0]):
        if name := COLUMNS.get(_simple(header)):
            columns.setdefault(name, i)
    if key not in columns:
        raise UsageError(f"the roster {roster_path} has no {KEY_HEADERS[key]} column (--key {key}); its columns: "
                         + ", ".join(table.rows[0]))

    def cell(row: tuple[str, ...], name: str) -> str:
        return row[columns[name]].strip() if name in columns and columns[name] < len(row) else ""

    people = table.rows[1:]
    candidates = [_candidate(row, cell) for row in people]
    matching = match(candidates, TIERS, [r.submission for r in results])
    by_id = {r.submission: r for r in results}
    pairs = [(cell(row, key), by_id[m.student]) for row, m in zip(people, matching.found, strict=True) if m]
    rows = [(KEY_HEADERS[key], item), *((value, lms_grade(r)) for value, r in pairs if value)]
    notes = [f"{r.submission} matched a roster row with no {KEY_HEADERS[key]}: not in the file"
             for value, r in pairs if not value]
    if any(r.final_score > MOODLE_MAX for _, r in pairs):
        notes.append(f"some grades are above {MOODLE_MAX:g}: Moodle refuses them unless the site allows "
                     "higher grades (Site administration > Grades > General settings > Unlimited grades)")
    return Export(Table(tuple(rows)), matching, tuple(notes))


def _candidate(row: tuple[str, ...], cell: Callable[[tuple[str, ...], str], str]) -> Candidate:
    first, last, full = cell(row, "first"), cell(row, "last"), cell(row, "full")
    names = tuple(dict.fromkeys(n for n in (full, f"{first} {last}".strip(), f"{last}, {first}") if n.strip(", ")))
    label = full or f"{first} {last}".strip() or cell(row, "email") or cell(row, "username")
    return Candidate(label, ((cell(row, "idnumber"),), (cell(row, "username"),), (cell(row, "email"),), names))


def _simple(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.casefold())
