"""Notebook submissions: the same checks and isolation as .py files, per-cell feedback."""

from __future__ import annotations

import base64
import dataclasses
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, exercise, feedback
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.course import Course
from grader.grading import grade_paths

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def solution_body(name: str) -> str:
    text = (ROOT / "solutions" / f"{name}.py").read_text()
    return "\n".join(line for line in text.splitlines() if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def student_notebook(name: str) -> nbformat.NotebookNode:
    """The reference code as a student would write it: markdown, magics, shell lines, a failing exploration cell."""
    return new_notebook(cells=[
        new_markdown_cell(f"# {name}\nMy solution."),
        new_code_cell("!pip install torch\n%matplotlib inline\nimport torch\nimport numpy as np"),
        new_code_cell("%time warmup = torch.arange(10).sum()"),
        new_code_cell("probe = torch.zeros(3)\nprobe[5]  # exploring: an index error"),
        new_code_cell(solution_body(name)),
        new_code_cell("print('done')"),
    ])


@pytest.fixture
def fast(course: Course) -> Course:
    """Short cell and check limits, so endless cells cost little."""
    return dataclasses.replace(course, exercises=tuple(
        dataclasses.replace(ex, check_time_limit=3.0, time_limit=30.0) for ex in course.exercises))


def test_every_exercise_as_a_notebook_gets_full_marks(course, tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    for ex in course.exercises:
        nbformat.write(student_notebook(ex.name), str(folder / f"{ex.name}.ipynb"))
    (result,) = grade_paths(course, [folder])
    for ex in result.exercises:
        assert ex.score == ex.max_score, (ex.name, feedback(ex))
        assert "cell 4: IndexError" in ex.details and "skipped `!pip install torch`" in ex.details


def test_notebook_and_py_give_the_same_scores(course, tmp_path):
    variants = sorted((ROOT / "tests" / "submissions" / "pad_collate").glob("buggy_*.py"))[:4]
    paths = []
    for variant in variants:
        for kind in ("py", "ipynb"):
            folder = tmp_path / f"{variant.stem}-{kind}"
            folder.mkdir()
            if kind == "py":
                shutil.copyfile(variant, folder / "pad_collate.py")
            else:
                nb = new_notebook(cells=[new_markdown_cell("hw"), new_code_cell(variant.read_text())])
                nbformat.write(nb, str(folder / "pad_collate.ipynb"))
            paths.append(folder)
    results = grade_paths(course, paths, ["pad_collate"])
    for py, ipynb in zip(results[::2], results[1::2], strict=True):
        assert [(c.name, c.status) for c in py.exercises[0].checks] == \
               [(c.name, c.status) for c in ipynb.exercises[0].checks]
        assert py.score == ipynb.score < py.max_score


def test_endless_cell_is_cut_off_and_later_cells_still_count(fast, tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import torch"),
        new_code_cell("while True:\n    pass"),
        new_code_cell(solution_body("pad_collate")),
        new_code_cell("name = input('name? ')"),
    ])
    nbformat.write(nb, str(tmp_path / "pad_collate.ipynb"))
    (result,) = grade_paths(fast, [tmp_path], ["pad_collate"])
    ex = exercise(result, "pad_collate")
    assert ex.score == ex.max_score, feedback(ex)
    assert "cell 2: cut off after 3 s" in ex.details
    assert "cell 4: EOFError: input() is not available while grading" in ex.details


def test_whole_homework_notebook_is_split_across_exercises(course, tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Homework 2"),
        new_code_cell(solution_body("pad_collate")),
        new_code_cell(solution_body("distributed_partition").replace("ValueError", "IndexError")),  # a bug
    ])
    nbformat.write(nb, str(tmp_path / "homework.ipynb"))
    (result,) = grade_paths(course, [tmp_path])
    assert exercise(result, "pad_collate").score == 10
    dist = exercise(result, "distributed_partition")
    assert dist.status == "graded" and dist.score == 9
    assert exercise(result, "gather_scatter").status == "missing"
    assert any("homework.ipynb: graded for pad_collate, distributed_partition" in n for n in result.notes)


@pytest.mark.parametrize(
    ("file", "score", "says"),
    [
        ("v1_distributed_partition.ipynb", 10, "old notebook (nbformat 1)"),
        ("v2_distributed_partition.ipynb", 10, "old notebook (nbformat 2)"),
        ("v3_distributed_partition.ipynb", 10, "old notebook (nbformat 3)"),
        ("future_distributed_partition.ipynb", 10, "newer Jupyter (nbformat 6)"),
        ("no_metadata_distributed_partition.ipynb", 10, ""),
        ("broken_json_distributed_partition.ipynb", 0, "the JSON is broken at line 1"),
        ("not_a_notebook_distributed_partition.ipynb", 0, "is not a valid notebook"),
    ],
)
def test_notebooks_from_other_tools_and_years(course, tmp_path, file, score, says):
    shutil.copyfile(NOTEBOOKS / file, tmp_path / "distributed_partition.ipynb")
    (result,) = grade_paths(course, [tmp_path], ["distributed_partition"])
    ex = exercise(result, "distributed_partition")
    assert ex.score == score, feedback(ex)
    assert says in " ".join([ex.details, *result.notes])
    if score == 0:
        assert ex.status == "unreadable"


def test_cells_that_patch_ipython_change_nothing(course, tmp_path):
    shutil.copyfile(NOTEBOOKS / "patches_ipython_pad_collate.ipynb", tmp_path / "pad_collate.ipynb")
    (result,) = grade_paths(course, [tmp_path], ["pad_collate"])
    ex = exercise(result, "pad_collate")
    assert ex.score == ex.max_score, feedback(ex)
    assert "cell 2: ZeroDivisionError" in ex.details


def test_huge_outputs_and_images_are_ignored(course, tmp_path):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(3_000_000)).decode()
    cell = new_code_cell(solution_body("pad_collate"), outputs=[
        new_output("display_data", data={"image/png": png}), new_output("stream", name="stdout", text="x" * 5_000_000)])
    nbformat.write(new_notebook(cells=[cell]), str(tmp_path / "pad_collate.ipynb"))
    (result,) = grade_paths(course, [tmp_path], ["pad_collate"])
    assert exercise(result, "pad_collate").score == 10


def test_notebook_stub_scores_zero(course):
    folder = course.exercise("pad_collate").directory
    (result,) = grade_paths(course, [folder / "pad_collate.ipynb"], ["pad_collate"])
    ex = exercise(result, "pad_collate")
    assert ex.file == "pad_collate.ipynb" and ex.score == 0
    assert "not implemented yet" in feedback(ex)


@pytest.mark.slow
def test_kernel_engine_gives_the_same_scores(fast, tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    nbformat.write(student_notebook("pad_collate"), str(folder / "pad_collate.ipynb"))
    buggy = (ROOT / "tests" / "submissions" / "distributed_partition" / "buggy_contiguous_blocks.py").read_text()
    nb = new_notebook(cells=[new_code_cell(buggy), new_code_cell("while True:\n    pass"), new_code_cell("1/0")])
    nbformat.write(nb, str(folder / "distributed_partition.ipynb"))
    picked = ["pad_collate", "distributed_partition"]
    (quick,) = grade_paths(fast, [folder], picked)
    (kernel,) = grade_paths(fast, [folder], picked, engine="kernel")
    for a, b in zip(quick.exercises, kernel.exercises, strict=True):
        assert [(c.name, c.status, c.score) for c in a.checks] == [(c.name, c.status, c.score) for c in b.checks]
    assert quick.score == kernel.score and 0 < quick.score < quick.max_score
    dist = exercise(kernel, "distributed_partition")
    assert "cell 2: cut off after 3 s" in dist.details and "cell 3: ZeroDivisionError" in dist.details


def test_feedback_notebook_is_the_students_with_a_feedback_cell(tmp_path):
    from conftest import run_cli

    folder = tmp_path / "ada"
    folder.mkdir()
    original = student_notebook("text_clean")
    nbformat.write(original, str(folder / "text_clean.ipynb"))
    out = tmp_path / "feedback"
    proc = run_cli("grade", str(folder), "--exercise", "text_clean", "--feedback-notebook", str(out))
    assert proc.returncode == 0, proc.stderr
    written = nbformat.read(str(out / "ada" / "text_clean.ipynb"), as_version=4)
    head = written.cells[0]
    assert head.cell_type == "markdown" and head.metadata["dlgrade"] == "feedback"
    assert "Total: 10 / 10" in head.source and "cell 4: IndexError" in head.source
    assert [c.source for c in written.cells[1:]] == [c.source for c in original.cells]
