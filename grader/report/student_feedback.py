"""What a student sees: ``feedback/<student>.md`` and ``.html`` (scores, messages, no check source)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader

from grader.report.glyphs import MARK
from grader.report.grade_notes import adjusted, exercise_notes, has_adjustments, submission_note
from grader.report.html_page import render_page
from grader.report.markdown_text import md_block, md_inline
from grader.report.student_files import student_stem
from grader.results import SubmissionResult


class _Markdown(str):
    """Markdown made here from student text (a code block): the template prints it as it is."""

    __slots__ = ()


def _block(text: str, indent: int = 0) -> _Markdown:
    return _Markdown(md_block(text).replace("\n", "\n" + " " * indent))


def _finalize(value: object) -> str:
    """Everything else a template prints is shown as text: no student HTML, link, table cell or fence."""
    return value if isinstance(value, _Markdown) else md_inline(str(value))


_MD = Environment(loader=PackageLoader("grader.report", "templates"), autoescape=False, finalize=_finalize,
                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_MD.filters["block"] = _block
NOTES = {"adjusted": adjusted, "has_adjustments": has_adjustments, "exercise_notes": exercise_notes,
         "submission_note": submission_note}  # what the templates say about penalties and overrides


def markdown(result: SubmissionResult) -> str:
    """The student's feedback as Markdown."""
    return _MD.get_template("feedback.md.j2").render(r=result, mark=MARK, **NOTES)


def html(result: SubmissionResult) -> str:
    """The student's feedback as a self-contained HTML page."""
    return render_page("feedback.html.j2", r=result, mark=MARK, **NOTES)


def write_feedback(results: list[SubmissionResult], folder: Path) -> None:
    """``folder/<stem>.md`` and ``.html`` for every student (stem: :func:`student_stem`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for result in results:
        name = student_stem(result.submission)
        (folder / f"{name}.md").write_text(markdown(result), encoding="utf-8")
        (folder / f"{name}.html").write_text(html(result), encoding="utf-8")
