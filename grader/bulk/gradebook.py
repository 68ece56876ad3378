"""The gradebook: SQLite, one file, every run, student, exercise and check.

Each student's result is written in one transaction, so a run killed at any
moment, or stopped by a full disk, leaves every student either fully recorded
or not at all; the next run grades what is missing. Schema changes are an
ordered list of migrations, applied in order and recorded in ``PRAGMA
user_version``.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.results import CheckResult, ExerciseResult, SubmissionResult

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
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, script.split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    # ---------------------------------------------------------------- runs

    def start_run(self, grader_version: str, jobs: int) -> int:
        """Record the start of a run; return its id."""
        cur = self.db.execute("INSERT INTO runs (started, grader_version, jobs) VALUES (?, ?, ?)",
                              (time.time(), grader_version, jobs))
        return int(cur.lastrowid or 0)

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

    def submission_hash(self, student: str) -> str | None:
        """The hash of the submission last recorded for ``student``."""
        row = self.db.execute("SELECT submission_hash FROM students WHERE id = ?", (student,)).fetchone()
        return str(row[0]) if row else None

    def students(self) -> list[str]:
        """Every recorded student id, sorted."""
        return [r[0] for r in self.db.execute("SELECT id FROM students ORDER BY id")]

    def exercise_result(self, student: str, name: str) -> ExerciseResult | None:
        """One stored exercise result, with its checks."""
        row = self.db.execute("SELECT name, title, max_score, status, message, source, duration FROM exercises "
                              "WHERE student_id = ? AND name = ?", (student, name)).fetchone()
        if row is None:
            return None
        checks = tuple(
            CheckResult(n, ms, st, fb, bool(h), d)
            for n, ms, st, fb, h, d in self.db.execute(
                "SELECT name, max_score, status, feedback, hidden, duration FROM checks "
                "WHERE student_id = ? AND exercise = ? ORDER BY position", (student, name)))
        return ExerciseResult(row[0], row[1], row[2], row[3], row[4], checks, row[5], row[6])

    def result(self, student: str) -> SubmissionResult | None:
        """A student's full stored result."""
        row = self.db.execute("SELECT notes, duration FROM students WHERE id = ?", (student,)).fetchone()
        if row is None:
            return None
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM exercises WHERE student_id = ? ORDER BY position", (student,))]
        exercises = tuple(e for n in names if (e := self.exercise_result(student, n)) is not None)
        return SubmissionResult(student, exercises, "grade", tuple(json.loads(row[0])), row[1])

    def results(self) -> list[SubmissionResult]:
        """Every student's stored result, sorted by student id."""
        return [r for s in self.students() if (r := self.result(s)) is not None]

    def table(self, name: str) -> list[dict[str, Any]]:
        """All rows of one table (for exports and tests)."""
        cur = self.db.execute(f"SELECT * FROM {name}")
        columns = [c[0] for c in cur.description]
        return [dict(zip(columns, row, strict=True)) for row in cur]

    # ---------------------------------------------------------------- writing

    def save(self, run_id: int, student: str, submission_hash: str, result: SubmissionResult,
             fingerprints: dict[str, Fingerprint]) -> None:
        """Replace everything stored for ``student`` in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM checks WHERE student_id = ?", (student,))
            self.db.execute("DELETE FROM exercises WHERE student_id = ?", (student,))
            self.db.execute("DELETE FROM students WHERE id = ?", (student,))
            self.db.execute(
                "INSERT INTO students VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (student, run_id, submission_hash, result.score, result.max_score, json.dumps(list(result.notes)),
                 result.duration, time.time()))
            for position, ex in enumerate(result.exercises):
                fp = fingerprints[ex.name]
                self.db.execute(
                    "INSERT INTO exercises VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (student, position, ex.name, ex.title, run_id, fp.source_hash, fp.suite_hash, fp.grader_version,
                     ex.score, ex.max_score, ex.status, ex.message, ex.source, ex.duration))
                self.db.executemany(
                    "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(student, ex.name, i, c.name, c.score, c.max_score, c.status, c.feedback, int(c.hidden),
                      c.duration) for i, c in enumerate(ex.checks)])
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does itself after a full disk)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
