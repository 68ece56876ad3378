"""The gradebook: SQLite, one file, every run, student, exercise and check.

Each student's result is written in one transaction, so a run killed at any
moment, or stopped by a full disk, leaves every student either fully recorded
or not at all; the next run grades what is missing. Schema changes are an
ordered list of migrations, applied in order and recorded in ``PRAGMA
user_version``; besides, each table gets a column for every field of the
result it stores that it lacks, filled with the field's default, so a field
added to the result model needs no migration. Result rows are written and
read through :mod:`grader.result_codec`.

Stored results are raw, as the checks gave them (with the student's
submission time). What changes a grade afterwards lives in tables of its own
(:mod:`grader.bulk.adjustments`), untouched by a regrade: ``applied_policy``
(the late policy as last applied), ``overrides`` and ``history``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from typing import Any

from grader.bulk.adjustments import Applied, Event, Override, utc_now
from grader.result_codec import columns, from_row, row
from grader.results import CheckResult, ExerciseResult, SubmissionResult

RESULTS = {"students": SubmissionResult, "exercises": ExerciseResult, "checks": CheckResult}  # what a row holds
STUDENT_KEY = "submission"  # the field stored as the students table's key column, ``id``
SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL"}

MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started REAL NOT NULL,
        finished REAL,
        grader_version TEXT NOT NULL,
        jobs INTEGER NOT NULL,
        graded INTEGER NOT NULL DEFAULT 0,
        reused INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE students (
        id TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        submission_hash TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        notes TEXT NOT NULL,
        duration REAL NOT NULL,
        graded_at REAL NOT NULL
    );
    CREATE TABLE exercises (
        student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        title TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source_hash TEXT NOT NULL,
        suite_hash TEXT NOT NULL,
        grader_version TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        source TEXT NOT NULL,
        duration REAL NOT NULL,
        PRIMARY KEY (student_id, name)
    );
    CREATE TABLE checks (
        student_id TEXT NOT NULL,
        exercise TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        status TEXT NOT NULL,
        feedback TEXT NOT NULL,
        hidden INTEGER NOT NULL,
        duration REAL NOT NULL,
        PRIMARY KEY (student_id, exercise, position),
        FOREIGN KEY (student_id, exercise) REFERENCES exercises(student_id, name) ON DELETE CASCADE
    );
    """,
    """
    CREATE TABLE applied_policy (
        student_id TEXT NOT NULL,
        exercise TEXT NOT NULL,
        due TEXT NOT NULL,
        penalty REAL NOT NULL,
        penalty_reason TEXT NOT NULL,
        extension TEXT NOT NULL,
        PRIMARY KEY (student_id, exercise)
    );
    CREATE TABLE overrides (
        student_id TEXT NOT NULL,
        exercise TEXT NOT NULL,
        score REAL NOT NULL,
        reason TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL,
        previous_score REAL NOT NULL,
        raw_score REAL NOT NULL,
        flag TEXT NOT NULL,
        PRIMARY KEY (student_id, exercise)
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        student_id TEXT NOT NULL,
        exercise TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        reason TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id)
    );
    CREATE INDEX history_by_student ON history (student_id, id)
    """,
    # the class folder a run graded: commands that rewrite the exports later compare its code again
    "ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT ''",
]


@dataclass(frozen=True)
class Fingerprint:
    """What a stored exercise result was computed from."""

    source_hash: str
    suite_hash: str
    grader_version: str


class Gradebook:
    """A gradebook file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in filter(str.strip, script.split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")
        if self._missing_columns():
            with self._transaction():
                for table, column, default in self._missing_columns():  # again: another process may have added them
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {_declaration(table, column, default)}")

    def _missing_columns(self) -> list[tuple[str, str, object]]:
        """The result fields a table has no column for: table, column and the field's default as stored."""
        missing = []
        for table, cls in RESULTS.items():
            have = {info[1] for info in self.db.execute(f"PRAGMA table_info({table})")}
            missing += [(table, column, default) for column, default in columns(cls).items()
                        if column not in have and column != STUDENT_KEY]
        return missing

    # ---------------------------------------------------------------- runs

    def start_run(self, grader_version: str, jobs: int, source: Path | None = None) -> int:
        """Record the start of a run that grades the class folder ``source``; return its id."""
        cur = self.db.execute("INSERT INTO runs (started, grader_version, jobs, source) VALUES (?, ?, ?, ?)",
                              (time.time(), grader_version, jobs, "" if source is None else str(source)))
        return int(cur.lastrowid or 0)

    def class_folder(self) -> Path | None:
        """The class folder the latest run graded, if it still exists."""
        found = self.db.execute("SELECT source FROM runs WHERE source != '' ORDER BY id DESC LIMIT 1").fetchone()
        return Path(found[0]) if found and Path(found[0]).exists() else None

    def finish_run(self, run_id: int, graded: int, reused: int) -> None:
        """Record the end of a run."""
        self.db.execute("UPDATE runs SET finished = ?, graded = ?, reused = ? WHERE id = ?",
                        (time.time(), graded, reused, run_id))

    # ---------------------------------------------------------------- reading

    def fingerprints(self, student: str) -> dict[str, Fingerprint]:
        """Per exercise, what the stored result was computed from."""
        rows = self.db.execute("SELECT name, source_hash, suite_hash, grader_version FROM exercises "
                               "WHERE student_id = ?", (student,))
        return {name: Fingerprint(src, suite, version) for name, src, suite, version in rows}

    def scores(self, student: str) -> dict[str, float]:
        """The stored raw score of each of ``student``'s exercises."""
        return dict(self.db.execute("SELECT name, score FROM exercises WHERE student_id = ?", (student,)))

    def submission_hash(self, student: str) -> str | None:
        """The hash of the submission last recorded for ``student``."""
        row = self.db.execute("SELECT submission_hash FROM students WHERE id = ?", (student,)).fetchone()
        return str(row[0]) if row else None

    def students(self) -> list[str]:
        """Every recorded student id, sorted."""
        return [r[0] for r in self.db.execute("SELECT id FROM students ORDER BY id")]

    def exercise_result(self, student: str, name: str) -> ExerciseResult | None:
        """One stored exercise result, with its checks."""
        found = self._select("SELECT * FROM exercises WHERE student_id = ? AND name = ?", (student, name))
        if not found:
            return None
        checks = self._select("SELECT * FROM checks WHERE student_id = ? AND exercise = ? ORDER BY position",
                              (student, name))
        return from_row(ExerciseResult, found[0], checks=tuple(from_row(CheckResult, c) for c in checks))

    def result(self, student: str) -> SubmissionResult | None:
        """A student's full stored result."""
        found = self._select("SELECT * FROM students WHERE id = ?", (student,))
        if not found:
            return None
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM exercises WHERE student_id = ? ORDER BY position", (student,))]
        exercises = tuple(e for n in names if (e := self.exercise_result(student, n)) is not None)
        return from_row(SubmissionResult, found[0], submission=student, exercises=exercises)

    def results(self, ids: list[str] | None = None) -> list[SubmissionResult]:
        """The stored results of ``ids`` in that order (those recorded), else of every student sorted by id."""
        return [r for s in (self.students() if ids is None else ids) if (r := self.result(s)) is not None]

    def durations(self) -> dict[str, dict[str, float]]:
        """How long each stored exercise took to grade, by student and exercise."""
        found: dict[str, dict[str, float]] = {}
        for student, name, duration in self.db.execute("SELECT student_id, name, duration FROM exercises"):
            found.setdefault(student, {})[name] = duration
        return found

    def table(self, name: str) -> list[dict[str, Any]]:
        """All rows of one table (for exports and tests)."""
        return self._select(f"SELECT * FROM {name}")

    def _select(self, sql: str, parameters: tuple[object, ...] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, parameters)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, values, strict=True)) for values in cur]

    # ---------------------------------------------------------------- writing

    def save(self, run_id: int, student: str, submission_hash: str, result: SubmissionResult,
             fingerprints: dict[str, Fingerprint], events: Sequence[Event] = ()) -> None:
        """Replace the result stored for ``student``, and record ``events``, in one transaction."""
        with self._transaction():
            self._record(events)
            self.db.execute("DELETE FROM checks WHERE student_id = ?", (student,))
            self.db.execute("DELETE FROM exercises WHERE student_id = ?", (student,))
            self.db.execute("DELETE FROM students WHERE id = ?", (student,))
            values = row(result)
            del values[STUDENT_KEY]
            self._insert("students", [{"id": student, "run_id": run_id, "submission_hash": submission_hash,
                                       "graded_at": time.time(), **values}])
            for position, ex in enumerate(result.exercises):
                self._insert("exercises", [{"student_id": student, "position": position, "run_id": run_id,
                                            **asdict(fingerprints[ex.name]), **row(ex)}])
                self._insert("checks", [{"student_id": student, "exercise": ex.name, "position": i, **row(c)}
                                        for i, c in enumerate(ex.checks)])

    # ---------------------------------------------------------------- what changes a grade after grading

    def applied_policy(self) -> dict[tuple[str, str], Applied]:
        """The late policy as last applied, by student and exercise."""
        return {(a.student, a.exercise): a for a in (
            Applied(*values) for values in self.db.execute(
                "SELECT student_id, exercise, due, penalty, penalty_reason, extension FROM applied_policy"))}

    def overrides(self) -> dict[tuple[str, str], Override]:
        """Every override, by student and exercise."""
        return {(o.student, o.exercise): o for o in (
            Override(*values) for values in self.db.execute(
                "SELECT student_id, exercise, score, reason, who, at, previous_score, raw_score, flag "
                "FROM overrides"))}

    def history(self, student: str) -> list[Event]:
        """Every recorded change to ``student``'s grade, oldest first."""
        rows = self.db.execute("SELECT student_id, exercise, kind, old, new, reason, at, run_id FROM history "
                               "WHERE student_id = ? ORDER BY id", (student,))
        return [Event(*values) for values in rows]

    def amend(self, applied: Sequence[Applied] = (), overrides: Sequence[Override] = (),
              cleared: Sequence[tuple[str, str]] = (), events: Sequence[Event] = (),
              times: Mapping[str, tuple[str, str]] | None = None) -> None:
        """In one transaction: store the policy as applied and overrides (each replacing the one it updates),
        drop the ``cleared`` (student, exercise) overrides, record ``events``, and store ``times``: by student,
        when the work was submitted and where that time comes from (``submitted_at``, ``time_source``)."""
        with self._transaction():
            self.db.executemany("UPDATE students SET submitted_at = ?, time_source = ? WHERE id = ?",
                                [(at, source, student) for student, (at, source) in (times or {}).items()])
            self.db.executemany("INSERT OR REPLACE INTO applied_policy VALUES (?, ?, ?, ?, ?, ?)",
                                [astuple(a) for a in applied])
            self.db.executemany("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [astuple(o) for o in overrides])
            self.db.executemany("DELETE FROM overrides WHERE student_id = ? AND exercise = ?", cleared)
            self._record(events)

    def _record(self, events: Sequence[Event]) -> None:
        self.db.executemany("INSERT INTO history (student_id, exercise, kind, old, new, reason, at, run_id) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(*astuple(e)[:6], e.at or utc_now(), e.run_id) for e in events])

    def _insert(self, table: str, rows: list[dict[str, object]]) -> None:
        if rows:
            names = list(rows[0])
            self.db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES (:{', :'.join(names)})", rows)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed when the block ends, rolled back when it raises."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does itself after a full disk)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


def _declaration(table: str, column: str, default: object) -> str:
    """The type and default of a new column for a result field (only a field with a default can be added)."""
    if default is None:
        raise RuntimeError(f"{table}.{column}: a result field without a default needs a migration")
    literal = "'" + default.replace("'", "''") + "'" if isinstance(default, str) else repr(default)
    return f"{SQL_TYPES[type(default)]} NOT NULL DEFAULT {literal}"
