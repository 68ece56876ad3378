"""What changes a grade after the checks gave it: the late policy as applied, overrides, and their history.

The gradebook keeps these apart from the raw results (:mod:`grader.bulk.gradebook`),
so a regrade replaces a raw result and keeps them, and a new deadline or
extension changes them without a regrade (:mod:`grader.bulk.settle`).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

EventKind = Literal["graded", "penalty", "override", "extension"]
USER_VARIABLE = "DLGRADE_USER"  # who an override is recorded as (default: the login name)


@dataclass(frozen=True)
class Applied:
    """The late policy as last applied to one exercise of one student."""

    student: str
    exercise: str
    due: str  # the deadline that applied (ISO 8601), "" when none
    penalty: float
    penalty_reason: str
    extension: str  # the extended deadline when an extension applied, else ""


@dataclass(frozen=True)
class Override:
    """A final score set by hand, and what it replaced."""

    student: str
    exercise: str
    score: float
    reason: str
    who: str
    at: str  # UTC, ISO 8601
    previous_score: float  # the final score before it
    raw_score: float  # the raw score when it was set
    flag: str = ""  # set when the raw score changed underneath it since


@dataclass(frozen=True)
class Event:
    """One change to a student's grade: ``old`` and ``new`` as shown ("" for none)."""

    student: str
    exercise: str  # "" for the whole submission
    kind: EventKind
    old: str
    new: str
    reason: str = ""
    at: str = ""  # UTC, ISO 8601 (default: now, when recorded)
    run_id: int | None = None  # the grade-all run that made it, if one did


def utc_now() -> str:
    """The current time, UTC, to the second (ISO 8601)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_user() -> str:
    """Who is changing grades: ``$DLGRADE_USER``, else the login name."""
    return os.environ.get(USER_VARIABLE) or getpass.getuser()


def points(value: float) -> str:
    """A score as history shows it."""
    return f"{value:g}"
