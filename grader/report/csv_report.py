"""``gradebook.csv``: a row per student, a column per exercise (manifest order) and the total.

The scores are raw, as the checks gave them. When the course has a due date
(or a score was overridden) a last column, ``final_total``, holds the total
that counts: late penalties and overrides applied.

A spreadsheet may run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula: the student id is the student's text, so
such a cell gets a leading ``'`` (OWASP's advice against CSV injection).
Scores stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grader.course import Course
from grader.results import SubmissionResult

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(course: Course, results: list[SubmissionResult], path: Path) -> None:
    """Write the class gradebook as CSV."""
    policy = any(e.due or e.overridden for r in results for e in r.exercises)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", *course.names, "total", "max_total", "errors"] + ["final_total"] * policy)
        for result in results:
            scores = {e.name: e.score for e in result.exercises}
            errors = [f"{e.name}:{e.troubled}" for e in result.exercises if e.troubled]
            writer.writerow([_text_cell(result.submission), *(f"{scores.get(n, 0.0):g}" for n in course.names),
                             f"{result.score:g}", f"{result.max_score:g}", " ".join(errors)]
                            + [f"{result.final_score:g}"] * policy)


def _text_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
