"""What must be graded: fingerprints of sources and check suites against the gradebook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version

from grader.bulk.gradebook import Fingerprint, Gradebook
from grader.course import Course, Exercise
from grader.submission.load import Submission


def grader_version() -> str:
    """The installed dlgrade version."""
    try:
        return version("dlgrade")
    except PackageNotFoundError:
        return "unknown"


def suite_hash(ex: Exercise) -> str:
    """Hash of everything that decides an exercise's grade besides the student's file: the check files and the
    exercise's fields marked ``grading``."""
    h = hashlib.sha256()
    for path in ex.check_files(True):
        h.update(path.read_bytes())
    h.update(repr(tuple(getattr(ex, f.name) for f in fields(ex) if f.metadata.get("grading"))).encode())
    return h.hexdigest()


def source_hash(sub: Submission, name: str) -> str:
    """Hash of what the student submitted for one exercise (or of its absence)."""
    f = sub.files.get(name)
    text = f"missing:{sub.near_misses.get(name, '')}" if f is None else f"{f.name}\0{f.text}\0{f.problem}" + "".join(
        f"\0{module}\0{source}" for module, source in f.helpers)  # the modules it may import
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StudentPlan:
    """One student: the fingerprints of each exercise, and which exercises need grading."""

    submission: Submission
    submission_hash: str
    fingerprints: dict[str, Fingerprint]
    to_grade: tuple[Exercise, ...]


def plan(course: Course, sub: Submission, book: Gradebook, suites: dict[str, str], force: bool) -> StudentPlan:
    """Compare a submission with the gradebook."""
    version_ = grader_version()
    fps = {ex.name: Fingerprint(source_hash(sub, ex.name), suites[ex.name], version_) for ex in course.exercises}
    whole = hashlib.sha256("".join(fp.source_hash for fp in fps.values()).encode())
    whole.update("\n".join(sub.notes).encode())
    stored = {} if force else book.fingerprints(sub.id)
    if not force and book.submission_hash(sub.id) is None:
        stored = {}
    todo = tuple(ex for ex in course.exercises if stored.get(ex.name) != fps[ex.name])
    return StudentPlan(sub, whole.hexdigest(), fps, todo)
