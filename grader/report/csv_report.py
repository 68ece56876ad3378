"""``gradebook.csv``: a row per student, a column per exercise (manifest order) and the total."""

from __future__ import annotations

import csv
from pathlib import Path

from grader.course import Course
from grader.results import SubmissionResult


def write_csv(course: Course, results: list[SubmissionResult], path: Path) -> None:
    """Write the class gradebook as CSV."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", *course.names, "total", "max_total", "errors"])
        for result in results:
            scores = {e.name: e.score for e in result.exercises}
            errors = [e.name for e in result.exercises if e.status in ("crashed", "timeout")]
            writer.writerow([result.submission, *(f"{scores.get(n, 0.0):g}" for n in course.names),
                             f"{result.score:g}", f"{result.max_score:g}", " ".join(errors)])
