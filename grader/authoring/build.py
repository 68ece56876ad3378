"""``dlgrade build``: regenerate every exercise's stubs (``.py`` and ``.ipynb``) from its marked solution."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.authoring.markers import MarkerError, make_stub
from grader.authoring.notebook_stub import notebook_from_stub
from grader.course import Course, Exercise
from grader.exceptions import CourseError


@dataclass(frozen=True)
class Artifact:
    """One generated file and the text it should hold."""

    exercise: str
    path: Path
    text: str

    @property
    def stale(self) -> bool:
        """Whether the file on disk differs from what build produces."""
        return not self.path.exists() or self.path.read_text(encoding="utf-8") != self.text


def stub_path(ex: Exercise) -> Path:
    """Where an exercise's ``.py`` stub lives."""
    return ex.directory / f"{ex.name}.py"


def artifacts(course: Course) -> list[Artifact]:
    """Everything ``build`` writes, computed from the solutions."""
    out = []
    for ex in course.exercises:
        if ex.solution is None:
            continue
        rel = ex.solution.relative_to(course.root).as_posix()
        try:
            stub = make_stub(ex.solution.read_text(encoding="utf-8"), rel)
        except MarkerError as exc:
            raise CourseError(str(exc)) from None
        out.append(Artifact(ex.name, stub_path(ex), stub))
        out.append(Artifact(ex.name, stub_path(ex).with_suffix(".ipynb"), notebook_from_stub(stub, ex.name)))
    return out


def build(course: Course) -> list[Artifact]:
    """Write every stale artifact; return the ones written."""
    written = []
    for artifact in artifacts(course):
        if artifact.stale:
            artifact.path.parent.mkdir(parents=True, exist_ok=True)
            artifact.path.write_text(artifact.text, encoding="utf-8")
            written.append(artifact)
    return written
