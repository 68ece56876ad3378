"""Put the course's deadlines, a student's extensions and the late policy on one graded result."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from grader.course import Course
from grader.policy.extensions import Extensions, effective_due
from grader.policy.late import LatePolicy, penalty_for
from grader.policy.times import SubmissionTime
from grader.results import ExerciseResult, SubmissionResult


def apply_policy(course: Course, result: SubmissionResult, submitted: SubmissionTime,
                 extensions: Extensions) -> SubmissionResult:
    """``result`` with when and how it was submitted, and each exercise's due date, penalty and reason.

    Raw scores never change (the penalty is a separate field) and applying it again gives the same result, so
    it can be recomputed whenever the times, extensions or policy change. Without a due date, or without a
    submission time (``time_source`` then starts with ``unknown`` and says why), nothing is taken off.
    """
    dues = {ex.name: ex.due for ex in course.exercises}
    policy = course.late or LatePolicy()
    exercises = tuple(_exercise(e, dues.get(e.name), result.submission, submitted, extensions, policy)
                      for e in result.exercises)
    source = f"{submitted.source} ({submitted.note})" if submitted.note else submitted.source
    return replace(result, submitted_at=submitted.at.isoformat() if submitted.at else "", time_source=source,
                   exercises=exercises)


def _exercise(result: ExerciseResult, course_due: datetime | None, student: str, submitted: SubmissionTime,
              extensions: Extensions, policy: LatePolicy) -> ExerciseResult:
    due, note = effective_due(course_due, student, result.name, extensions)
    penalty, reason = 0.0, note
    if due is not None and submitted.at is not None and result.status != "missing":
        late = penalty_for(result.score, result.max_score, submitted.at, due, policy)
        penalty, reason = late.points, "; ".join(filter(None, (note, late.reason)))
    return replace(result, due=due.isoformat() if due else "", extended=bool(note), penalty=penalty,
                   penalty_reason=reason)
