"""What a page says about a grade beyond the checks: the deadline, a late penalty, an override.

One wording for the feedback pages (Markdown and HTML), the class report and
the terminal. Every note is plain text: each page escapes it as it escapes
student text.
"""

from __future__ import annotations

from datetime import datetime

from grader.results import ExerciseResult, SubmissionResult


def moment(text: str) -> str:
    """An ISO 8601 date-time as a reader expects it: ``2026-12-01 23:59 UTC+01:00`` (other text unchanged)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    offset = value.strftime("%z")
    zone = "" if not offset else " UTC" if offset == "+0000" else f" UTC{offset[:3]}:{offset[3:]}"
    return value.strftime("%Y-%m-%d %H:%M") + zone


def adjusted(e: ExerciseResult) -> bool:
    """Whether the score that counts is not the raw score (a penalty or an override)."""
    return bool(e.penalty) or e.overridden


def has_adjustments(r: SubmissionResult) -> bool:
    """Whether any exercise's score that counts is not its raw score."""
    return any(adjusted(e) for e in r.exercises)


def common_due(r: SubmissionResult) -> str:
    """The due date every exercise has ("" when they differ or there is none)."""
    dues = {e.due for e in r.exercises}
    return dues.pop() if len(dues) == 1 else ""


def submission_note(r: SubmissionResult) -> str:
    """The due date all exercises share, when the work was submitted and where that time comes from ("" when the
    course has no due date)."""
    if not any(e.due for e in r.exercises):
        return ""
    due = f"Due {moment(common_due(r))}; s" if common_due(r) else "S"
    if not r.submitted_at:
        return f"{due}ubmission time unknown, so nothing is late"
    return f"{due}ubmitted {moment(r.submitted_at)}" + (f"; time source: {r.time_source}" if r.time_source else "")


def exercise_notes(e: ExerciseResult, r: SubmissionResult) -> list[str]:
    """What the student is told about one exercise of ``r``: its due date (when not all exercises share it),
    lateness and its penalty, an override; one line each."""
    notes = [f"Due {moment(e.due)}"] if e.due and e.due != common_due(r) else []
    if e.penalty:
        notes.append(f"Late penalty: {e.penalty:g} point{'s' * (e.penalty != 1)} off ({e.penalty_reason}): "
                     f"{e.score:g} becomes {max(e.score - e.penalty, 0.0):g}")
    elif e.penalty_reason:
        notes.append(e.penalty_reason[0].upper() + e.penalty_reason[1:])
    if e.overridden:
        notes.append(f"Score set to {e.override_score:g} by your instructor" +
                     (f": {e.override_reason}" if e.override_reason else ""))
    return notes


def class_notes(r: SubmissionResult) -> list[str]:
    """What the instructor is told about a student's total: each lateness or extension (one line per reason,
    with the points it took), each override, each override to review."""
    by_reason: dict[str, list[ExerciseResult]] = {}
    for e in r.exercises:
        if e.penalty_reason and not e.overridden:
            by_reason.setdefault(e.penalty_reason, []).append(e)
    notes = []
    for reason, exercises in by_reason.items():
        off = sum(e.penalty for e in exercises)
        where = f"{len(exercises)} of {len(r.exercises)} exercises"
        notes.append(f"{reason}: {off:g} points off in {where}" if off else f"{reason} ({where})")
    for e in r.exercises:
        if e.overridden:
            notes.append(f"{e.name}: set to {e.override_score:g} by an override (raw score {e.score:g})" +
                         (f": {e.override_reason}" if e.override_reason else ""))
        if e.override_flag:
            notes.append(f"review {e.name}: {e.override_flag}")
    return notes
