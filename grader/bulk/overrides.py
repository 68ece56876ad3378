"""Grades changed by hand in a class's gradebook (``dlgrade override``), and every change to a grade (``history``).

Each function checks everything before it writes: an unknown student or
exercise, or a score outside the exercise's points, is a
:class:`~grader.exceptions.UsageError` and leaves the gradebook as it was.
An override is recorded with who set it, when, why, the final score it
replaced and the raw score it was set against (a later regrade that changes
that raw score flags it: :func:`grader.bulk.settle.settle`).
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path

from grader.bulk.adjustments import Event, Override, current_user, points, utc_now
from grader.bulk.grade_all import GRADEBOOK
from grader.bulk.gradebook import Gradebook
from grader.bulk.settle import final_results
from grader.exceptions import UsageError
from grader.report.control_chars import show_controls
from grader.results import ExerciseResult, SubmissionResult


def open_class(out: Path) -> Gradebook:
    """The gradebook of a ``grade-all --out`` folder; ``UsageError`` when there is none."""
    if not (out / GRADEBOOK).is_file():
        raise UsageError(f"{out} holds no {GRADEBOOK}: give the --out folder of `dlgrade grade-all`")
    return Gradebook(out / GRADEBOOK)


def require_student(book: Gradebook, student: str) -> None:
    """``UsageError`` unless ``student`` is in the gradebook (saying which id is closest)."""
    known = book.students()
    if student not in known:
        close = difflib.get_close_matches(student, known, n=1)
        hint = f" (did you mean {show_controls(close[0], newlines=False)!r}?)" if close else ""
        raise UsageError(f"no student {show_controls(student, newlines=False)!r} in the gradebook{hint}")


def set_override(book: Gradebook, student: str, exercise: str, score: float, reason: str) -> list[SubmissionResult]:
    """Make ``score`` the final score of ``student``'s ``exercise`` (again: a flagged override is reviewed and
    unflagged); return every final result."""
    found = _exercise(book, student, exercise)
    if not math.isfinite(score) or not 0 <= score <= found.max_score:
        raise UsageError(f"score {score:g} is outside 0..{found.max_score:g}, the points of {exercise}")
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("an override needs a reason (--reason)")
    if found.overridden and (found.override_score, found.override_reason, found.override_flag) == (score, reason, ""):
        return final_results(book)  # already so: setting it again changes nothing
    override = Override(student, exercise, score, reason, current_user(), utc_now(), found.final_score, found.score)
    book.amend(overrides=[override], events=[Event(student, exercise, "override", points(found.final_score),
                                                   points(score), reason, override.at)])
    return final_results(book)


def clear_override(book: Gradebook, student: str, exercise: str, reason: str = "") -> list[SubmissionResult]:
    """Remove the override of ``student``'s ``exercise``; return every final result."""
    found = _exercise(book, student, exercise)
    if not found.overridden:
        raise UsageError(f"{exercise} of {show_controls(student, newlines=False)} has no override to clear")
    computed = max(found.score - found.penalty, 0.0)
    book.amend(cleared=[(student, exercise)],
               events=[Event(student, exercise, "override", points(found.override_score), points(computed),
                             " ".join(reason.split()) or "override cleared")])
    return final_results(book)


def student_history(book: Gradebook, student: str) -> list[Event]:
    """Every change to ``student``'s grade, oldest first."""
    require_student(book, student)
    return book.history(student)


def _exercise(book: Gradebook, student: str, exercise: str) -> ExerciseResult:
    """``student``'s final result for ``exercise``; ``UsageError`` when either is unknown."""
    require_student(book, student)
    (result,) = final_results(book, [student])
    names = [e.name for e in result.exercises]
    if exercise not in names:
        close = difflib.get_close_matches(exercise, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"no exercise {show_controls(exercise, newlines=False)!r}{hint}; "
                         f"the exercises are {', '.join(names)}")
    return next(e for e in result.exercises if e.name == exercise)
