"""``dlgrade validate``: check the course itself.

Every solution must get full marks and every stub zero, through the real
engine; stubs must be up to date with their solutions; manifest entries must
point at real files (checked when the course loads) and the checks' points
must add up to the manifest's (:mod:`grader.judge.points`; an exercise whose
points do not is reported, not graded); hints must be string literals
(:mod:`grader.authoring.hint_literals`).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring.build import artifacts, stub_path
from grader.authoring.hint_literals import hint_problems
from grader.course import Course
from grader.grading import Isolation, grade_paths
from grader.judge.points import points_problems
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


def _grade(course: Course, names: list[str],
           isolation: Isolation) -> dict[str, tuple[ExerciseResult, ExerciseResult]]:
    """Exercise name -> how its solution and its stub score (``names`` only)."""
    if not names:
        return {}
    solutions = {ex.name: ex.solution for ex in course.exercises if ex.solution is not None}
    stubs = {ex.name: stub_path(ex) for ex in course.exercises}
    with tempfile.TemporaryDirectory(prefix="dlgrade-validate-") as tmp:
        sol_dir = _collect(course, solutions, Path(tmp) / "solutions")
        stub_dir = _collect(course, stubs, Path(tmp) / "stubs")
        graded_solutions, graded_stubs = grade_paths(course, [sol_dir, stub_dir], names, isolation=isolation)
    return {sol.name: (sol, stub) for sol, stub in zip(graded_solutions.exercises, graded_stubs.exercises,
                                                       strict=True)}


def validate(course: Course, isolation: Isolation = "auto") -> list[Verdict]:
    """Check every exercise's points, grade its solution and stub, and compare the stub with what ``build`` makes.

    The checks are read before the sandbox starts: safe here, where only the course's own files run.
    """
    stale = {a.exercise for a in artifacts(course) if a.stale}
    mismatched = points_problems(course, course.exercises)
    graded = _grade(course, [ex.name for ex in course.exercises if ex.name not in mismatched], isolation)
    verdicts = []
    for ex in course.exercises:
        problems = list(mismatched.get(ex.name, []))
        problems += [p for f in ex.check_files(hidden=True) for p in hint_problems(f, course.root)]
        sol, stub = graded.get(ex.name, (None, None))
        if ex.solution is None:
            problems.append("no solution in the manifest")
        elif sol is not None and sol.score != ex.points:
            failing = [f"{c.name} ({c.feedback or c.status})" for c in sol.checks if c.status != "passed"]
            problems.append(f"solution gets {sol.score:g}/{ex.points:g}: " + "; ".join(failing or [sol.details]))
        if stub is not None and stub.status == "missing":
            problems.append(f"no stub at {stub_path(ex).relative_to(course.root)}")
        elif stub is not None and stub.score != 0:
            passing = [c.name for c in stub.checks if c.status == "passed"]
            problems.append(f"stub gets {stub.score:g} points: " + "; ".join(passing))
        if ex.name in stale:
            problems.append("stub is out of date: run `dlgrade build`")
        verdicts.append(Verdict(ex.name, ex.points, sol, stub, ex.name not in stale, tuple(problems)))
    return verdicts
