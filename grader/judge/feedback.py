"""From a check's exception to a status and feedback a student can act on.

Only the student's own frames and messages are shown: never check source,
check paths, expected values or the judge's traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.judge.outcomes import CheckOutcome
from grader.results import CheckStatus

MAX_FEEDBACK = 4000


@dataclass(frozen=True)
class Feedback:
    """How a check ended, for its :class:`~grader.results.CheckResult`."""

    status: CheckStatus
    text: str = ""
    unattempted: bool = False


def feedback_for(exc: BaseException | None) -> Feedback:
    """Status and message for a check that raised ``exc`` (``None``: it passed)."""
    if exc is None:
        return Feedback("passed")
    status: CheckStatus
    if isinstance(exc, AssertionError):
        status, text = "failed", str(exc).strip() or "this check failed"
    elif isinstance(exc, CheckOutcome):
        status, text = exc.status, exc.feedback()
    else:
        status = "error"
        text = (f"the check could not use what your code returned ({type(exc).__name__}); "
                "compare its types and shapes with the exercise statement")
    if len(text) > MAX_FEEDBACK:
        text = text[:MAX_FEEDBACK] + f"\n[... {len(text) - MAX_FEEDBACK} more characters not shown]"
    return Feedback(status, text, isinstance(exc, CheckOutcome) and exc.unattempted)
