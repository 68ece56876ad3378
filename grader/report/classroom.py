"""The GitHub Classroom autograding runner result: what ``autograding-grading-reporter`` reads.

A runner step sets its ``result`` output to base64-encoded JSON (format
version 1, as ``classroom-resources/autograding-command-grader`` writes it);
the reporter reads it from ``<STEP ID IN CAPITALS>_RESULTS``. It posts
``Points X/Y`` with X the sum of the tests' ``score`` and Y the ``max_score``,
so every check is one test carrying its own points and X is dlgrade's score.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from grader.report.control_chars import show_controls
from grader.results import CheckStatus, SubmissionResult

MAX_MESSAGE = 1000  # the reporter gets the result in one environment variable; Linux caps one at 128 KiB
_STATUS: dict[CheckStatus, str] = {"passed": "pass", "failed": "fail", "error": "error", "timeout": "error",
                                   "crashed": "error"}


def classroom_result(result: SubmissionResult) -> dict[str, Any]:
    """The runner result document (decoded)."""
    tests: list[dict[str, Any]] = []
    for e in result.exercises:
        for c in e.checks:
            message = c.feedback or ("" if c.status == "passed" else e.details or c.status)
            tests.append(_test(f"{e.name}: {c.name}", _STATUS[c.status], c.score, message, c.duration))
        if not e.checks:  # the grader failed on this exercise: keep it in the list, worth nothing
            tests.append(_test(e.name, "error", 0.0, e.details or e.status, e.duration))
    passed = all(t["status"] == "pass" for t in tests)
    return {"version": 1, "status": "pass" if passed else "fail", "max_score": result.max_score, "tests": tests}


def _test(name: str, status: str, score: float, message: str, seconds: float) -> dict[str, Any]:
    # test_code is printed by the reporter (never check source here) and line_no 0 means "no line"
    message = show_controls(message)  # the reporter prints it into the job's log, which runs ANSI sequences
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 1] + "…"
    return {"name": name, "status": status, "score": score, "message": message, "test_code": "", "filename": "",
            "line_no": 0, "duration": round(seconds * 1000)}


def encode(result: SubmissionResult) -> str:
    """The value of the runner step's ``result`` output: base64 of the JSON document."""
    text = json.dumps(classroom_result(result), ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
