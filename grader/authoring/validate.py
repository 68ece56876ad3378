"""``dlgrade validate``: check the course itself.

Every solution must get full marks and every stub zero, through the real
engine; stubs must be up to date with their solutions; manifest entries must
point at real files and points must add up (both checked when the course
loads and the checks are collected).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring.build import artifacts, stub_path
from grader.course import Course
from grader.grading import Isolation, grade_paths
from grader.results import ExerciseResult


@dataclass(frozen=True)
class Verdict:
    """One exercise's health."""

    name: str
    points: float
    solution: ExerciseResult | None
    stub: ExerciseResult | None
    stub_fresh: bool
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def _collect(course: Course, files: dict[str, Path], folder: Path) -> Path:
    folder.mkdir()
    for name, path in files.items():
        if path.is_file():
            shutil.copyfile(path, folder / f"{name}.py")
    return folder


def validate(course: Course, isolation: Isolation = "auto") -> list[Verdict]:
    """Grade every solution and every stub; compare stubs with what ``build`` makes."""
    stale = {a.exercise for a in artifacts(course) if a.stale}
    solutions = {ex.name: ex.solution for ex in course.exercises if ex.solution is not None}
    stubs = {ex.name: stub_path(ex) for ex in course.exercises}
    with tempfile.TemporaryDirectory(prefix="dlgrade-validate-") as tmp:
        sol_dir = _collect(course, solutions, Path(tmp) / "solutions")
        stub_dir = _collect(course, stubs, Path(tmp) / "stubs")
        graded_solutions, graded_stubs = grade_paths(course, [sol_dir, stub_dir], isolation=isolation)
    verdicts = []
    for ex in course.exercises:
        sol = next(e for e in graded_solutions.exercises if e.name == ex.name)
        stub = next(e for e in graded_stubs.exercises if e.name == ex.name)
        problems = []
        if ex.solution is None:
            problems.append("no solution in the manifest")
        elif sol.score != ex.points:
            failing = [f"{c.name} ({c.feedback or c.status})" for c in sol.checks if c.status != "passed"]
            problems.append(f"solution gets {sol.score:g}/{ex.points:g}: " + "; ".join(failing or [sol.message]))
        if stub.status == "missing":
            problems.append(f"no stub at {stub_path(ex).relative_to(course.root)}")
        elif stub.score != 0:
            passing = [c.name for c in stub.checks if c.status == "passed"]
            problems.append(f"stub gets {stub.score:g} points: " + "; ".join(passing))
        if ex.name in stale:
            problems.append("stub is out of date: run `dlgrade build`")
        verdicts.append(Verdict(ex.name, ex.points, sol, stub, ex.name not in stale, tuple(problems)))
    return verdicts
