"""The grade an LMS is sent for a submission: its final score, in points."""

from __future__ import annotations

from collections.abc import Sequence

from grader.results import SubmissionResult


def lms_grade(result: SubmissionResult) -> str:
    """The final score (late penalty and overrides applied) as a number an LMS reads: at most two decimals."""
    return points_text(result.final_score)


def points_text(value: float) -> str:
    """``value`` with at most two decimals and no trailing zeros: ``8.5``, ``10``, ``0``."""
    return f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def scale_notes(lms_points: float | None, results: Sequence[SubmissionResult]) -> tuple[str, ...]:
    """A note when the LMS's points possible differ from dlgrade's maximum (grades are sent unscaled)."""
    top = max((r.max_score for r in results), default=0.0)
    if lms_points is None or not results or round(lms_points, 2) == round(top, 2):
        return ()
    return (f"the LMS gives the assignment {points_text(lms_points)} points, dlgrade's maximum is "
            f"{points_text(top)}: grades are sent in dlgrade's points, unscaled",)
