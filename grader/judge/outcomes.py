"""How a check can end other than passing or failing an assertion: one exception class per outcome.

Like pytest's ``OutcomeException`` and nbclient's ``exceptions``: each class
carries the check status it stands for and gives the student-facing text, so
:func:`grader.judge.feedback.feedback_for` asks the exception instead of
testing its class. Check files get the student's own errors from
:mod:`grader.checks`.
"""

from __future__ import annotations

from typing import Any, Literal

from grader.judge.reported_errors import describe_error
from grader.results import CheckStatus


class CheckOutcome(Exception):
    """A check ended because of the student's code or its runner, not a wrong answer."""

    status: CheckStatus = "failed"
    unattempted = False  # the student has not started on what the check tests: no mistake to rank

    def feedback(self) -> str:
        """What the student is told."""
        return str(self)


class StudentError(CheckOutcome):
    """The student's code raised; ``type_name`` is the exception's class name."""

    def __init__(self, mro: list[str], message: str, frames: list[dict[str, Any]]) -> None:
        super().__init__(f"{mro[0] if mro else 'Exception'}: {message}")
        self.mro = mro
        self.type_name = mro[0] if mro else "Exception"
        self.message = message
        self.frames = frames

    def is_a(self, name: str) -> bool:
        """Whether the raised class is ``name`` or inherits from it."""
        return name in self.mro

    def feedback(self) -> str:
        return "your code raised " + describe_error({"mro": self.mro, "message": self.message,
                                                     "traceback": self.frames})


class NotImplementedYet(StudentError):
    """The student's function still raises ``NotImplementedError`` (the stub)."""

    unattempted = True

    def feedback(self) -> str:
        return "not implemented yet (your function still raises NotImplementedError)"


class MissingName(CheckOutcome):
    """The module does not define a name the check needs."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        super().__init__(name)
        self.name = name
        self.suggestion = suggestion

    def feedback(self) -> str:
        hint = f"; did you mean to name `{self.suggestion}` `{self.name}`?" if self.suggestion else ""
        return f"your module does not define `{self.name}`{hint}"


class Unsendable(CheckOutcome):
    """The student's code returned something that cannot cross the boundary."""


class CheckTimeout(CheckOutcome):
    """A check waited longer than its (or the exercise's) time limit."""

    status: CheckStatus = "timeout"


class RunnerCrash(CheckOutcome):
    """The runner died while a check waited; the message is in the student's terms."""

    status: CheckStatus = "crashed"


class LoadFailed(CheckOutcome):
    """The student's module could not be imported (``status``: "crashed" or "timeout")."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status: Literal["crashed", "timeout"] = "timeout" if status == "timeout" else "crashed"
