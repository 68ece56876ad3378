"""The result model: plain frozen data that every output format consumes.

Check -> exercise -> submission. Scores are computed here from check
outcomes and nowhere else: ``score`` is always the raw score the checks
gave, ``final_score`` what counts after a late penalty or an override. Field order is the order of the
``dlgrade.result/1`` document, and field metadata says how a field is
published (:mod:`grader.result_codec`): under another ``key``, rounded to
``digits``, or ``optional`` (written only when it differs from its default).
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Literal

CheckStatus = Literal["passed", "failed", "error", "timeout", "crashed"]
ExerciseStatus = Literal["graded", "missing", "unreadable", "crashed", "timeout"]
SCHEMA = "dlgrade.result/1"
SECONDS = {"digits": 3}
OPTIONAL = {"optional": True}


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome, as a student may see it."""

    name: str
    score: float = field(init=False)  # full points when passed, else zero
    max_score: float
    status: CheckStatus
    feedback: str = ""
    hidden: bool = False
    duration: float = field(default=0.0, metadata=SECONDS)
    unattempted: bool = field(default=False, metadata=OPTIONAL)  # failed because nothing was tried: no mistake
    hint: str = field(default="", metadata=OPTIONAL)  # the instructor's hint for a check that did not pass

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", self.max_score if self.status == "passed" else 0.0)


@dataclass(frozen=True)
class ExerciseResult:
    """One exercise of one submission."""

    name: str
    title: str
    score: float = field(init=False)  # sum of the passed checks' points
    max_score: float
    status: ExerciseStatus
    message: str = ""  # the grader's own note: file missing or unreadable, import failed, time limit reached
    _: KW_ONLY
    cell_notes: tuple[str, ...] = field(default=(), metadata=OPTIONAL)  # a notebook's cells that failed or were cut
    output: str = field(default="", metadata=OPTIONAL)  # what the student's code printed (capped)
    file: str = field(default="", metadata={"key": "source"})  # the graded file's name in the submission
    duration: float = field(default=0.0, metadata=SECONDS)
    # the course policy, applied to the raw ``score`` when results are exported (grader.policy, grader.bulk.settle)
    due: str = field(default="", metadata=OPTIONAL)  # the deadline that applied (ISO 8601), extensions included
    extended: bool = field(default=False, metadata=OPTIONAL)  # that deadline is an extension for this student
    penalty: float = field(default=0.0, metadata=OPTIONAL)  # points taken for lateness
    penalty_reason: str = field(default="", metadata=OPTIONAL)  # e.g. "2 days late: 20 % of the 10 points off"
    overridden: bool = field(default=False, metadata=OPTIONAL)  # an instructor set the final score by hand
    override_score: float = field(default=0.0, metadata=OPTIONAL)
    override_reason: str = field(default="", metadata=OPTIONAL)
    override_flag: str = field(default="", metadata=OPTIONAL)  # why the override needs review (the raw score changed)
    checks: tuple[CheckResult, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", sum(c.score for c in self.checks))

    @property
    def final_score(self) -> float:
        """What counts: the override, else the raw score less the penalty (never below zero)."""
        return self.override_score if self.overridden else max(self.score - self.penalty, 0.0)

    @property
    def details(self) -> str:
        """Everything said about the exercise as a whole: the grader's note, the cell notes, the printed output."""
        text = "\n".join([*filter(None, [self.message]), *self.cell_notes])
        if self.output:
            text += ("\n" if text else "") + "your code printed:\n" + self.output
        return text

    @property
    def troubled(self) -> str:
        """What went wrong beyond wrong answers: the exercise unreadable, crashed or timed out, else a crashed
        check, else a timed-out one ("" when nothing did)."""
        if self.status in ("unreadable", "crashed", "timeout"):
            return self.status
        statuses = {c.status for c in self.checks}
        return next((s for s in ("crashed", "timeout") if s in statuses), "")


@dataclass(frozen=True)
class SubmissionResult:
    """Everything graded for one submission (one student)."""

    submission: str
    _: KW_ONLY
    mode: Literal["grade", "check"] = "grade"
    score: float = field(init=False)  # total over exercises
    max_score: float = field(init=False)  # total possible
    duration: float = field(default=0.0, metadata=SECONDS)
    notes: tuple[str, ...] = ()
    submitted_at: str = field(default="", metadata=OPTIONAL)  # when it was submitted (ISO 8601), "" if unknown
    time_source: str = field(default="", metadata=OPTIONAL)  # where that time came from: a CSV, file times, ...
    exercises: tuple[ExerciseResult, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", sum(e.score for e in self.exercises))
        object.__setattr__(self, "max_score", sum(e.max_score for e in self.exercises))

    @property
    def final_score(self) -> float:
        """The total that counts: each exercise's final score (penalties and overrides applied)."""
        return sum(e.final_score for e in self.exercises)
