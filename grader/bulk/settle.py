"""From the gradebook's raw results to the grades that count: the late policy and overrides applied.

:func:`settle` runs at the end of every ``grade-all``, also one that grades
nothing: it applies the course's current due dates, late policy and
extensions to each stored raw result and submission time, and flags each
override whose raw score changed underneath it. What changed since the last
run goes into the gradebook's history, so a new deadline or extension
recomputes penalties without running a single check. :func:`final_results`
reads the grades back as last settled (``dlgrade override`` rewrites the
exports with them).
"""

from __future__ import annotations

from dataclasses import replace

from grader.bulk.adjustments import Applied, Event, Override, points
from grader.bulk.gradebook import Gradebook
from grader.course import Course
from grader.policy.apply import apply_policy
from grader.policy.extensions import Extensions, effective_due
from grader.policy.times import SubmissionTime
from grader.results import SubmissionResult


def has_deadline(course: Course) -> bool:
    """Whether any exercise has a due date (without one, submission times are not even read)."""
    return any(ex.due is not None for ex in course.exercises)


def settle(course: Course, book: Gradebook, ids: list[str], times: dict[str, SubmissionTime],
           extensions: Extensions, run_id: int | None = None) -> list[SubmissionResult]:
    """Apply the policy to the stored results of ``ids`` (``times``: when each submitted), flag overrides, record
    every change in history; return the final results."""
    before, overrides = book.applied_policy(), book.overrides()
    applied: list[Applied] = []
    flagged: list[Override] = []
    events: list[Event] = []
    stamps: dict[str, tuple[str, str]] = {}
    due, deadline = {ex.name: ex.due for ex in course.exercises}, has_deadline(course)
    for raw in book.results(ids):
        student = raw.submission
        result = apply_policy(course, raw, times[student], extensions) if deadline else raw
        stamps[student] = (result.submitted_at, result.time_source) if deadline else ("", "")
        for e in result.exercises:
            now = Applied(student, e.name, e.due, e.penalty, e.penalty_reason, e.due if e.extended else "")
            old = before.get((student, e.name), Applied(student, e.name, "", 0.0, "", ""))
            if now != old:
                applied.append(now)
            if now.penalty != old.penalty:
                events.append(Event(student, e.name, "penalty", points(old.penalty), points(now.penalty),
                                    now.penalty_reason or "on time", run_id=run_id))
            if now.extension != old.extension:
                note = effective_due(due.get(e.name), student, e.name, extensions)[1]
                events.append(Event(student, e.name, "extension", old.extension, now.extension,
                                    note or "no extension any more", run_id=run_id))
            override = overrides.get((student, e.name))
            if override is not None:
                flag = "" if e.score == override.raw_score else \
                    f"the raw score changed from {override.raw_score:g} to {e.score:g} after this override: review it"
                if flag != override.flag:
                    flagged.append(replace(override, flag=flag))
                    events.append(Event(student, e.name, "override", f"raw {override.raw_score:g}",
                                        f"raw {e.score:g}", flag or "the raw score is back to what it was",
                                        run_id=run_id))
    book.amend(applied, flagged, events=events, times=stamps)
    return final_results(book, ids)


def final_results(book: Gradebook, ids: list[str] | None = None) -> list[SubmissionResult]:
    """The stored results of ``ids`` (default: everyone) with the policy as last settled and the overrides."""
    applied, overrides = book.applied_policy(), book.overrides()
    finals = []
    for result in book.results(ids):
        exercises = []
        for e in result.exercises:
            a = applied.get((result.submission, e.name))
            o = overrides.get((result.submission, e.name))
            if a is not None:
                e = replace(e, due=a.due, extended=bool(a.extension), penalty=a.penalty,
                            penalty_reason=a.penalty_reason)
            if o is not None:
                e = replace(e, overridden=True, override_score=o.score, override_reason=o.reason,
                            override_flag=o.flag)
            exercises.append(e)
        finals.append(replace(result, exercises=tuple(exercises)))
    return finals
