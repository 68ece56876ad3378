"""Hints: authored in check files, set only on checks that did not pass, shown in the terminal only when asked."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SUBMISSIONS, exercise
from nbformat.v4 import new_code_cell
from rich.console import Console

from grader.course import Course
from grader.exceptions import CourseError
from grader.grading import grade_paths
from grader.report.terminal import render
from grader.result_codec import to_document
from grader.results import CheckResult, ExerciseResult, SubmissionResult

PADS, LOADER = "Pads a batch of two sequences", "make_loader returns a loader whose batches are padded"


@pytest.fixture(scope="module")
def graded(course: Course, tmp_path_factory: pytest.TempPathFactory) -> dict[str, ExerciseResult]:
    """pad_collate graded once for three students: a wrong loader, the untouched stub, the stub notebook done."""
    root = tmp_path_factory.mktemp("hints")
    folder = course.exercise("pad_collate").directory
    for student, source in (("loader", SUBMISSIONS / "pad_collate" / "buggy_loader_default_collate.py"),
                            ("stub", folder / "pad_collate.py")):
        (root / student).mkdir()
        shutil.copyfile(source, root / student / "pad_collate.py")
    nb = nbformat.read(str(folder / "pad_collate.ipynb"), as_version=4)
    nb.cells.append(new_code_cell((ROOT / "solutions" / "pad_collate.py").read_text()))
    (root / "notebook").mkdir()
    nbformat.write(nb, str(root / "notebook" / "homework.ipynb"))  # not named after the exercise: matched by its code
    results = grade_paths(course, [root / "loader", root / "stub", root / "notebook"], ["pad_collate"])
    return {r.submission: exercise(r, "pad_collate") for r in results}


def _check(ex: ExerciseResult, name: str) -> CheckResult:
    return next(c for c in ex.checks if c.name == name)


def test_hints_only_on_checks_that_did_not_pass(graded: dict[str, ExerciseResult]) -> None:
    loader = graded["loader"]
    assert _check(loader, PADS).status == "passed" and _check(loader, PADS).hint == ""
    failed = _check(loader, LOADER)
    assert failed.status == "failed" and "collate_fn" in failed.hint
    assert all(c.hint == "" for c in loader.checks if c.hidden)  # the hidden checks carry none
    assert all(_check(graded["stub"], name).hint for name in (PADS, LOADER))  # unattempted: hints on asking
    checks = to_document(SubmissionResult("loader", exercises=(loader,)))["exercises"][0]["checks"]
    assert [c["name"] for c in checks if "hint" in c] == [LOADER]  # written only where there is one


def test_the_stub_notebook_completed_gets_full_marks(graded: dict[str, ExerciseResult]) -> None:
    done = graded["notebook"]
    assert done.score == done.max_score and done.file == "homework.ipynb"
    assert not any(c.hint for c in done.checks)


def _rendered(result: SubmissionResult, hints: bool) -> str:
    console = Console(record=True, width=200, color_system=None)
    render(result, console, hints=hints)
    return console.export_text()


def test_terminal_shows_hints_only_when_asked() -> None:
    checks = tuple(CheckResult(f"check {n}", 1, "failed", "not implemented yet", hint=f"think about step {n}")
                   for n in range(3))
    plain = SubmissionResult("s", exercises=(ExerciseResult("ex", "Ex", 3, "graded", checks=checks),))
    bare = dataclasses.replace(plain, exercises=(dataclasses.replace(
        plain.exercises[0], checks=tuple(dataclasses.replace(c, hint="") for c in checks)),))
    assert _rendered(plain, hints=False) == _rendered(bare, hints=False) == _rendered(bare, hints=True)
    assert "all 3 checks: not implemented yet" in _rendered(plain, hints=False)
    shown = _rendered(plain, hints=True)
    assert "all 3 checks" not in shown  # not collapsed: each check has its own hint
    assert [line.strip(" │") for line in shown.splitlines() if "hint:" in line] == [
        f"hint: think about step {n}" for n in range(3)]


def test_terminal_hint_is_shown_as_text() -> None:
    check = CheckResult("c", 1, "failed", "wrong", hint="[bold]x[/bold]\x1b[2J")
    out = _rendered(SubmissionResult("s", exercises=(ExerciseResult("ex", "Ex", 1, "graded", checks=(check,)),)),
                    hints=True)
    assert "hint: [bold]x[/bold]\\x1b[2J" in out


def test_a_hint_that_is_not_a_string_is_a_course_error(course: Course, tmp_path: Path) -> None:
    checks = tmp_path / "test_public.py"
    public = course.exercise("pad_collate").public_checks.read_text()
    checks.write_text(public.replace('@pytest.mark.hint("A DataLoader', '@pytest.mark.hint(3, "A DataLoader', 1))
    broken = dataclasses.replace(course, exercises=(dataclasses.replace(course.exercise("pad_collate"),
                                                                        public_checks=checks),))
    (tmp_path / "student").mkdir()
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", tmp_path / "student" / "pad_collate.py")
    with pytest.raises(CourseError, match=r"test_make_loader: a hint is one string of 1 to 300 characters"):
        grade_paths(broken, [tmp_path / "student"], hidden=False)
