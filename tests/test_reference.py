"""The reference solutions get full marks and the stubs get zero, through the real engine."""

from __future__ import annotations

import pytest
from conftest import ROOT, exercise

from grader.course import Course
from grader.grading import grade_paths
from grader.results import SubmissionResult


@pytest.fixture(scope="module")
def graded(course: Course) -> list[SubmissionResult]:
    """The solutions, then each exercise's stub folder: every one a submission of one grading run."""
    return grade_paths(course, [ROOT / "solutions", *(ex.directory for ex in course.exercises)])


def test_solutions_full_marks(graded, course):
    result = graded[0]
    for ex in course.exercises:
        got = exercise(result, ex.name)
        assert got.status == "graded", got.message
        failing = [(c.name, c.feedback) for c in got.checks if c.status != "passed"]
        assert got.score == got.max_score == ex.points, failing


def test_stubs_score_zero_and_say_not_implemented(graded, course):
    stubs = graded[1:]
    assert len(stubs) == len(course.exercises)
    for result in stubs:
        for ex in result.exercises:
            if ex.status == "missing":
                continue
            assert ex.score == 0, (ex.name, [(c.name, c.status) for c in ex.checks if c.status == "passed"])
            assert any("not implemented yet" in c.feedback for c in ex.checks)
