"""From a check's exception to a status and feedback a student can act on.

Only the student's own frames and messages are shown: never check source,
check paths, expected values or the judge's traceback.
"""

from __future__ import annotations

from grader.checks import MissingName, NotImplementedYet, StudentError, Unsendable
from grader.judge.student import CheckTimeout, LoadFailed, RunnerCrash, describe_error
from grader.results import CheckStatus

MAX_FEEDBACK = 4000


def feedback_for(exc: BaseException | None) -> tuple[CheckStatus, str]:
    """Status and message for a check that raised ``exc`` (``None``: it passed)."""
    status: CheckStatus
    if exc is None:
        return "passed", ""
    if isinstance(exc, AssertionError):
        status, text = "failed", str(exc).strip() or "this check failed"
    elif isinstance(exc, NotImplementedYet):
        status, text = "failed", "not implemented yet (your function still raises NotImplementedError)"
    elif isinstance(exc, StudentError):
        error = {"mro": exc.mro, "message": exc.message, "traceback": exc.frames}
        status, text = "failed", "your code raised " + describe_error(error)
    elif isinstance(exc, MissingName):
        hint = f"; did you mean to name `{exc.suggestion}` `{exc.name}`?" if exc.suggestion else ""
        status, text = "failed", f"your module does not define `{exc.name}`{hint}"
    elif isinstance(exc, Unsendable):
        status, text = "failed", str(exc)
    elif isinstance(exc, CheckTimeout):
        status, text = "timeout", str(exc)
    elif isinstance(exc, RunnerCrash):
        status, text = "crashed", str(exc)
    elif isinstance(exc, LoadFailed):
        status, text = ("timeout" if exc.status == "timeout" else "crashed"), str(exc)
    else:
        status = "error"
        text = (f"the check could not use what your code returned ({type(exc).__name__}); "
                "compare its types and shapes with the exercise statement")
    if len(text) > MAX_FEEDBACK:
        text = text[:MAX_FEEDBACK] + f"\n[... {len(text) - MAX_FEEDBACK} more characters not shown]"
    return status, text
