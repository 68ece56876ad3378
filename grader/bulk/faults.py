"""Faults on the instructor's machine during ``grade-all``: a full disk, Ctrl-C, a judge that died.

Each ends the run with one :class:`~grader.exceptions.GraderError` saying what
happened, how many students the gradebook holds and how to go on. The
gradebook commits one transaction per student, so whatever it holds is whole,
and the same command, run again, grades only the rest.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.exceptions import DiskFull, Interrupted, StudentsNotGraded
from grader.report.control_chars import show_controls

SQLITE_FULL = 13  # the primary result code behind "database or disk is full"
SQLITE_IOERR_SHMSIZE = 4874  # "disk I/O error": the gradebook's -shm file could not grow
FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
NAMES_SHOWN = 5


@dataclass
class Tally:
    """How far a class run got: what a fault's message reports."""

    gradebook: Path
    total: int | None = None  # students in the class, once the roster is read
    saved: int = 0  # students whose up-to-date result is committed to the gradebook
    exporting: bool = False  # grading is over; the exports are being written

    def saved_line(self) -> str:
        """How many students are safe, as a sentence."""
        if self.total is None:
            return "No student was graded yet"
        if self.saved == self.total:
            return f"All {self.total} students are saved in the gradebook"
        return f"{self.saved} of {self.total} students are saved in the gradebook"

    def state(self) -> str:
        """What is saved and what is not, as the middle of a message."""
        if self.total is not None and (self.exporting or self.saved == self.total):
            return f"{self.saved_line()}, but the exports in {self.gradebook.parent} are incomplete"
        return self.saved_line()

    def next_step(self) -> str:
        """What running the same command again will do."""
        if self.total is None:
            return "run the same command again to grade the class"
        if self.saved == self.total:
            return "run the same command again to write them (no student is graded again)"
        if self.exporting:
            return "run the same command again to grade the rest and write them"
        return "run the same command again to grade the rest"

    def not_graded(self, failed: list[str]) -> StudentsNotGraded:
        """The error for students whose judge process died before answering."""
        shown = ", ".join(show_controls(f, newlines=False) for f in failed[:NAMES_SHOWN])
        if len(failed) > NAMES_SHOWN:
            shown += f" and {len(failed) - NAMES_SHOWN} more"
        who = "1 student was" if len(failed) == 1 else f"{len(failed)} students were"
        return StudentsNotGraded(f"a judge process stopped unexpectedly, so {who} not graded ({shown}). "
                                 f"{self.saved_line()}; run the same command again to grade the rest.")


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full."""
    if isinstance(exc, sqlite3.Error):
        code = exc.sqlite_errorcode
        return code & 0xFF == SQLITE_FULL or code == SQLITE_IOERR_SHMSIZE
    return isinstance(exc, OSError) and exc.errno in FULL_ERRNOS


@contextlib.contextmanager
def explained(tally: Tally) -> Iterator[None]:
    """Turn Ctrl-C and a full disk inside the block into one error that says what is saved."""
    try:
        yield
    except KeyboardInterrupt:
        during = " while writing the exports" if tally.exporting else ""
        raise Interrupted(f"interrupted{during}. {tally.state()}; {tally.next_step()}.") from None
    except (sqlite3.Error, OSError) as exc:
        if not disk_full(exc):
            raise
        if isinstance(exc, sqlite3.Error):
            where = f"writing {tally.gradebook}"
        else:
            where = f"writing {exc.filename}" if exc.filename else f"writing into {tally.gradebook.parent}"
        raise DiskFull(f"the disk is full ({where}). {tally.state()}; free some space and "
                       f"{tally.next_step()}.") from None
