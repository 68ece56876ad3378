"""The reference solutions get full marks and the stubs get zero, through the real engine."""

from __future__ import annotations

from conftest import ROOT, exercise

from grader.results import SubmissionResult


def test_solutions_full_marks(grade, course):
    result: SubmissionResult = grade(ROOT / "solutions")
    for ex in course.exercises:
        got = exercise(result, ex.name)
        assert got.status == "graded", got.message
        failing = [(c.name, c.feedback) for c in got.checks if c.status != "passed"]
        assert got.score == got.max_score == ex.points, failing


def test_stubs_score_zero_and_say_not_implemented(grade, course):
    folders = [ex.directory for ex in course.exercises]
    for folder in folders:
        result = grade(folder)
        for ex in result.exercises:
            if ex.status == "missing":
                continue
            assert ex.score == 0, (ex.name, [(c.name, c.status) for c in ex.checks if c.status == "passed"])
            assert any("not implemented yet" in c.feedback for c in ex.checks)
