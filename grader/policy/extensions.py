"""Per-student extensions: a CSV file the instructor keeps (``dlgrade extend`` writes it).

::

    student,exercise,due,days,reason
    alice,pad_collate,,2,illness
    bob,*,2026-12-08T23:59:00+01:00,,exchange semester

``exercise`` is an exercise name or ``*`` (every exercise). A row gives either a new ``due`` date (with a
zone, as in the manifest) or a number of extra ``days``, never both; ``reason`` is optional. A row for the
exercise beats a ``*`` row. An extension counts from the original due date, also when it is granted after
that date: ``days`` move the due date by calendar days in its own zone (the wall-clock time stays, across a
daylight-saving change too). An extension never moves a due date earlier, and an exercise without a due
date stays without one.
"""

from __future__ import annotations

import csv
import difflib
import os
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TextIO

from grader.exceptions import UsageError
from grader.policy.csv_input import read_csv
from grader.policy.dates import parse_moment

COLUMNS = ("student", "exercise", "due", "days", "reason")
EVERY = "*"


@dataclass(frozen=True)
class Extension:
    """One row: ``student`` gets ``days`` more, or until ``due``, for ``exercise`` (``*``: every exercise)."""

    student: str
    exercise: str
    due: datetime | None = None  # aware
    days: int = 0
    reason: str = ""

    @property
    def note(self) -> str:
        """``extension: +2 days (illness)`` or ``extension to 2026-12-08 23:59+01:00``."""
        granted = f"extension to {self.due.isoformat(sep=' ', timespec='minutes')}" if self.due else \
            f"extension: +{self.days} day{'s' if self.days != 1 else ''}"
        return granted + (f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class Extensions:
    """Every extension granted; empty when there is no file."""

    entries: tuple[Extension, ...] = ()

    def find(self, student: str, exercise: str) -> Extension | None:
        """The row for this student and exercise, else the student's ``*`` row, else ``None``."""
        every = None
        for entry in self.entries:
            if entry.student == student and entry.exercise == exercise:
                return entry
            if entry.student == student and entry.exercise == EVERY:
                every = entry
        return every


def effective_due(course_due: datetime | None, student: str, exercise: str,
                  extensions: Extensions) -> tuple[datetime | None, str]:
    """The due date that applies to ``student`` for ``exercise``, and the extension's note ("" for none)."""
    found = extensions.find(student, exercise)
    if course_due is None or found is None:
        return course_due, ""
    due = found.due or course_due + timedelta(days=found.days)  # wall-clock days in the due date's zone
    if due.astimezone(UTC) <= course_due.astimezone(UTC):
        return course_due, ""
    return due, found.note


def read_extensions(path: Path, zone: tzinfo | None = None, exercises: Collection[str] = ()) -> Extensions:
    """The extensions in ``path``; local dates are read in ``zone``, and exercises, when given, must be among
    ``exercises``. ``UsageError`` lists every problem with its line."""
    return Extensions(tuple(entry for _, entry in _read(path, zone, exercises)))


def add_extension(path: Path, student: str, exercise: str, *, days: int | None = None, due: datetime | None = None,
                  reason: str = "", zone: tzinfo | None = None) -> Extension:
    """Grant ``student`` ``days`` more, or until ``due``, for ``exercise`` (``*``: every exercise): replace the
    row for that student and exercise, or append one; the file is created with its header when missing."""
    student, exercise, reason = student.strip(), exercise.strip(), " ".join(reason.split())
    if not student or not exercise:
        raise UsageError("an extension needs a student and an exercise (or * for every exercise)")
    if (days is None) == (due is None):
        raise UsageError("an extension needs either a number of days or a new due date, not both")
    if days is not None and (isinstance(days, bool) or days < 1):
        raise UsageError(f"an extension of {days} days: give 1 or more")
    try:
        moment = None if due is None else parse_moment(due, zone)
    except ValueError as exc:
        raise UsageError(f"the new due date {exc}") from None
    entry = Extension(student, exercise, moment, days or 0, reason)
    rows = [raw for raw, _ in _read(path, zone, ())] if path.exists() else []
    new = {"student": student, "exercise": exercise, "due": moment.isoformat() if moment else "",
           "days": str(days or ""), "reason": reason}
    at = next((i for i, raw in enumerate(rows) if (raw["student"], raw["exercise"]) == (student, exercise)), None)
    if at is None:
        rows.append(new)
    else:
        rows[at] = new
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return entry


def _read(path: Path, zone: tzinfo | None, exercises: Collection[str]) -> list[tuple[dict[str, str], Extension]]:
    """Each row as written (every column, missing ones "") and as read; ``UsageError`` lists every problem."""
    lines = read_csv(path, "extensions file", _numbered_rows)
    if not lines:
        raise UsageError(f"extensions file {path} is empty: its first line is the header {','.join(COLUMNS)}")
    header = [name.strip().lower() for name in lines[0][1]]
    problems = [f"line 1: unknown column {name!r}{_close(name, COLUMNS)}" for name in header if name not in COLUMNS]
    problems += [f"line 1: column {name!r} appears twice" for name in sorted(set(header)) if header.count(name) > 1]
    problems += [f"line 1: no {name!r} column" for name in ("student", "exercise") if name not in header]
    if "due" not in header and "days" not in header:
        problems.append("line 1: no 'due' or 'days' column")
    if problems:
        raise _problems(path, problems)
    out: list[tuple[dict[str, str], Extension]] = []
    first: dict[tuple[str, str], int] = {}
    for line, fields in lines[1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(header):
            problems.append(f"line {line}: {len(fields)} fields, but the header has {len(header)}")
            continue
        given = {name: value.strip() for name, value in zip(header, fields, strict=False)}  # short rows: ""
        raw = {name: "" for name in COLUMNS} | given
        entry = _row(raw, line, zone, exercises, problems)
        key = (raw["student"], raw["exercise"])
        if key in first:
            problems.append(f"line {line}: a second row for {key[0]} and {key[1]} (the first is on line {first[key]})")
        first.setdefault(key, line)
        if entry is not None:
            out.append((raw, entry))
    if problems:
        raise _problems(path, problems)
    return out


def _row(raw: dict[str, str], line: int, zone: tzinfo | None, exercises: Collection[str],
         problems: list[str]) -> Extension | None:
    """One row as an extension, or ``None`` with its problems appended."""
    before = len(problems)
    if not raw["student"]:
        problems.append(f"line {line}: no student")
    if not raw["exercise"]:
        problems.append(f"line {line}: no exercise (a name, or * for every exercise)")
    elif exercises and raw["exercise"] != EVERY and raw["exercise"] not in exercises:
        problems.append(f"line {line}: unknown exercise {raw['exercise']!r}{_close(raw['exercise'], exercises)}")
    due, days = None, 0
    if raw["due"] and raw["days"]:
        problems.append(f"line {line}: both a due date and days: give one")
    elif not raw["due"] and not raw["days"]:
        problems.append(f"line {line}: neither a due date nor days: give one")
    elif raw["due"]:
        try:
            due = parse_moment(raw["due"], zone)
        except ValueError as exc:
            problems.append(f"line {line}: due {exc}")
    elif not raw["days"].isdigit() or int(raw["days"]) < 1:
        problems.append(f"line {line}: days {raw['days']!r} is not a whole number of days, 1 or more")
    else:
        days = int(raw["days"])
    if len(problems) > before:
        return None
    return Extension(raw["student"], raw["exercise"], due, days, raw["reason"])


def _close(word: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _problems(path: Path, problems: list[str]) -> UsageError:
    if len(problems) == 1:
        return UsageError(f"extensions file {path}: {problems[0]}")
    return UsageError(f"extensions file {path}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems))


def _numbered_rows(f: TextIO) -> list[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted field may span lines)."""
    reader = csv.reader(f)
    lines, start = [], 1
    for fields in reader:
        lines.append((start, fields))
        start = reader.line_num + 1
    return lines
