"""The result model: plain frozen data that every output format consumes.

Check -> exercise -> submission. Scores are computed here from check
outcomes and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CheckStatus = Literal["passed", "failed", "error", "timeout", "crashed"]
ExerciseStatus = Literal["graded", "missing", "unreadable", "crashed", "timeout"]
SCHEMA = "dlgrade.result/1"


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome, as a student may see it."""

    name: str
    max_score: float
    status: CheckStatus
    feedback: str = ""
    hidden: bool = False
    duration: float = 0.0

    @property
    def score(self) -> float:
        """Full points when passed, else zero."""
        return self.max_score if self.status == "passed" else 0.0


@dataclass(frozen=True)
class ExerciseResult:
    """One exercise of one submission."""

    name: str
    title: str
    max_score: float
    status: ExerciseStatus
    message: str = ""
    checks: tuple[CheckResult, ...] = ()
    source: str = ""
    duration: float = 0.0

    @property
    def score(self) -> float:
        """Sum of the passed checks' points."""
        return sum(c.score for c in self.checks)


@dataclass(frozen=True)
class SubmissionResult:
    """Everything graded for one submission (one student)."""

    submission: str
    exercises: tuple[ExerciseResult, ...]
    mode: Literal["grade", "check"] = "grade"
    notes: tuple[str, ...] = ()
    duration: float = 0.0

    @property
    def score(self) -> float:
        """Total over exercises."""
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        """Total possible."""
        return sum(e.max_score for e in self.exercises)

    def to_dict(self) -> dict[str, Any]:
        """The ``dlgrade.result/1`` document."""
        return {
            "schema": SCHEMA,
            "submission": self.submission,
            "mode": self.mode,
            "score": self.score,
            "max_score": self.max_score,
            "duration": round(self.duration, 3),
            "notes": list(self.notes),
            "exercises": [
                {
                    "name": e.name,
                    "title": e.title,
                    "score": e.score,
                    "max_score": e.max_score,
                    "status": e.status,
                    "message": e.message,
                    "source": e.source,
                    "duration": round(e.duration, 3),
                    "checks": [
                        {
                            "name": c.name,
                            "score": c.score,
                            "max_score": c.max_score,
                            "status": c.status,
                            "feedback": c.feedback,
                            "hidden": c.hidden,
                            "duration": round(c.duration, 3),
                        }
                        for c in e.checks
                    ],
                }
                for e in self.exercises
            ],
        }


def result_from_dict(doc: dict[str, Any]) -> SubmissionResult:
    """Rebuild a result from :meth:`SubmissionResult.to_dict` (between trusted processes only)."""
    return SubmissionResult(
        submission=doc["submission"],
        mode=doc.get("mode", "grade"),
        notes=tuple(doc.get("notes", ())),
        duration=float(doc.get("duration", 0.0)),
        exercises=tuple(
            ExerciseResult(
                name=e["name"], title=e.get("title", e["name"]), max_score=float(e["max_score"]), status=e["status"],
                message=e.get("message", ""), source=e.get("source", ""), duration=float(e.get("duration", 0.0)),
                checks=tuple(
                    CheckResult(c["name"], float(c["max_score"]), c["status"], c.get("feedback", ""),
                                bool(c.get("hidden", False)), float(c.get("duration", 0.0)))
                    for c in e.get("checks", ())
                ),
            )
            for e in doc["exercises"]
        ),
    )
