"""A copy of a student's notebook with the feedback as its first cell (``--feedback-notebook DIR``)."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path, PurePosixPath

import nbformat
from nbformat.v4 import new_markdown_cell

from grader.report.student_feedback import markdown
from grader.report.student_files import student_stem
from grader.results import SubmissionResult
from grader.submission.notebook import read_notebook


def _original(submission: Path, name: str) -> bytes | None:
    """The bytes of notebook ``name`` as submitted (a lone file, a folder, or a zip)."""
    try:
        if submission.is_file() and submission.suffix.lower() == ".zip":
            with zipfile.ZipFile(submission) as zf:
                return zf.read(name)
        if submission.is_file():
            return submission.read_bytes()
        return (submission / PurePosixPath(name)).read_bytes()
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def write_feedback_notebooks(result: SubmissionResult, submission: Path, out: Path) -> list[Path]:
    """For each notebook graded in ``result``: ``out/<student_stem>/<notebook>`` with a feedback cell on top."""
    written = []
    for name in sorted({e.file for e in result.exercises if e.file.lower().endswith(".ipynb")}):
        data = _original(submission, name)
        if data is None:
            continue
        notebook, _problem = read_notebook(data, name)
        if notebook is None:
            continue
        try:
            nb = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
        except Exception:  # noqa: BLE001 - read_notebook accepted it leniently; rebuild from its code cells
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for _, src in notebook.cells])
        mine = dataclasses.replace(result, exercises=tuple(e for e in result.exercises if e.file == name))
        cell = new_markdown_cell(markdown(mine), metadata={"dlgrade": "feedback", "editable": False})
        nb.cells.insert(0, cell)
        target = out / student_stem(result.submission) / PurePosixPath(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
        written.append(target)
    return written
