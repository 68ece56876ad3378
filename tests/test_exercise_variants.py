"""Realistic student submissions, graded through the real engine.

Every exercise of the course manifest needs a folder ``tests/submissions/<name>/``
holding at least :data:`MIN_BUGGY` files ``buggy_<mistake>.py`` and at least
:data:`MIN_CORRECT` files ``correct_<style>.py``. The header comment of each
file says what the grader must answer:

* ``# expect: full marks`` (correct variants): the variant scores ``max_score``;
* ``# expect: <phrase>`` (buggy variants): the variant loses points and
  ``<phrase>`` appears in the exercise's feedback (a phrase that names the
  mistake, so the student can act on it);
* optionally ``# score: <n>`` on a following line: the exact score expected.

All variants of one exercise are graded in one ``GradingSession.grade`` call
(one pytest session), each copied into its own folder as ``<exercise>.py`` so
every variant is one submission; one sandbox slot serves every exercise.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import COURSE_FILE, SUBMISSIONS, exercise, feedback

from grader.course import Course, load_course
from grader.grading import GradingSession
from grader.results import ExerciseResult

MIN_BUGGY = 5
MIN_CORRECT = 1
FULL_MARKS = "full marks"
_HEADER = re.compile(r"#\s*(expect|score)\s*:\s*(.*?)\s*$")
# What pytest's assertion rewriting appends to a message (compared values, expected ones included). The
# engine must keep it out of feedback even when it runs inside a pytest process, like this one.
_INTROSPECTION = re.compile(r"(?m)^\s*(assert |\+\s+where )")


@dataclass(frozen=True)
class Variant:
    """One submission file of ``tests/submissions/<exercise>/``."""

    exercise: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.path.name}"

    @property
    def correct(self) -> bool:
        return self.path.name.startswith("correct_")

    def header(self) -> dict[str, str]:
        """The ``# expect:`` / ``# score:`` lines at the top of the file."""
        found: dict[str, str] = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            match = _HEADER.match(line)
            if not match:
                break
            found[match.group(1)] = match.group(2)
        return found


COURSE = load_course(COURSE_FILE)


def variants_of(name: str) -> list[Variant]:
    folder = SUBMISSIONS / name
    if not folder.is_dir():
        return []
    return [Variant(name, p) for p in sorted(folder.glob("*.py")) if p.name.startswith(("correct_", "buggy_"))]


ALL = [v for ex in COURSE.exercises for v in variants_of(ex.name)]
CORRECT = [v for v in ALL if v.correct]
BUGGY = [v for v in ALL if not v.correct]


@pytest.fixture(scope="module")
def graded(course: Course, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Variant], ExerciseResult]]:
    """``graded(variant) -> ExerciseResult``; grades all variants of an exercise at its first use."""
    cache: dict[str, dict[Path, ExerciseResult]] = {}
    root = tmp_path_factory.mktemp("variants")  # every submission below it: the slot never has to reopen

    with GradingSession(course, hide=[root]) as session:

        def result(variant: Variant) -> ExerciseResult:
            if variant.exercise not in cache:
                todo = variants_of(variant.exercise)
                base = root / variant.exercise
                folders = []
                for v in todo:
                    folder = base / v.path.stem
                    folder.mkdir(parents=True)
                    shutil.copyfile(v.path, folder / f"{v.exercise}.py")
                    folders.append(folder)
                results = session.grade(folders, exercises=[variant.exercise])
                assert len(results) == len(todo)
                cache[variant.exercise] = {v.path: exercise(r, v.exercise)
                                           for v, r in zip(todo, results, strict=True)}
            return cache[variant.exercise][variant.path]

        yield result


def failing(ex: ExerciseResult) -> list[tuple[str, str, str]]:
    return [(c.name, c.status, c.feedback) for c in ex.checks if c.status != "passed"]


@pytest.mark.parametrize("name", COURSE.names)
def test_every_exercise_has_enough_variants(name: str) -> None:
    found = variants_of(name)
    buggy = [v.path.name for v in found if not v.correct]
    correct = [v.path.name for v in found if v.correct]
    assert len(buggy) >= MIN_BUGGY, (
        f"{name}: tests/submissions/{name}/ needs at least {MIN_BUGGY} buggy_<mistake>.py variants, has {buggy}")
    assert len(correct) >= MIN_CORRECT, (
        f"{name}: tests/submissions/{name}/ needs at least {MIN_CORRECT} correct_<style>.py variant, has {correct}")


def test_submission_folders_name_exercises() -> None:
    stray = [p.name for p in SUBMISSIONS.iterdir() if p.is_dir() and p.name not in COURSE.names
             and not p.name.startswith((".", "__"))]
    assert not stray, f"tests/submissions/ has folders for no exercise of course.toml: {stray}"
    misnamed = [str(p.relative_to(SUBMISSIONS)) for p in SUBMISSIONS.glob("*/*.py")
                if not p.name.startswith(("correct_", "buggy_"))]
    assert not misnamed, f"variant files must be named correct_<style>.py or buggy_<mistake>.py: {misnamed}"


@pytest.mark.parametrize("variant", ALL, ids=lambda v: v.id)
def test_variant_header(variant: Variant) -> None:
    first = variant.path.read_text(encoding="utf-8").partition("\n")[0]
    assert re.match(r"#\s*expect\s*:\s*\S", first), f"{variant.id}: the first line must be `# expect: ...`"
    header = variant.header()
    if variant.correct:
        assert header["expect"] == FULL_MARKS, f"{variant.id}: a correct variant must say `# expect: {FULL_MARKS}`"
    else:
        assert header["expect"] != FULL_MARKS, f"{variant.id}: a buggy variant must name the expected feedback"


@pytest.mark.parametrize("variant", CORRECT, ids=lambda v: v.id)
def test_correct_variant_gets_full_marks(graded: Callable[[Variant], ExerciseResult], variant: Variant) -> None:
    got = graded(variant)
    assert got.status == "graded", got.message
    assert got.score == got.max_score, failing(got)


@pytest.mark.parametrize("variant", BUGGY, ids=lambda v: v.id)
def test_buggy_variant_loses_points_and_is_told_why(graded: Callable[[Variant], ExerciseResult],
                                                    variant: Variant) -> None:
    header = variant.header()
    assert "expect" in header, f"{variant.id}: the first line must be `# expect: ...`"
    got = graded(variant)
    text = feedback(got)
    assert got.score < got.max_score, f"{variant.id} got full marks"
    assert not _INTROSPECTION.search(text), f"{variant.id}: assertion introspection leaked into the feedback:\n{text}"
    assert header["expect"] in text, f"{variant.id}: {header['expect']!r} not in the feedback:\n{text}"
    if "score" in header:
        assert got.score == float(header["score"]), (got.score, failing(got))
