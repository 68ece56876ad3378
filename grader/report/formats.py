"""Every format results can be written in, by name: what each writes and what it needs.

``--report FORMAT=PATH`` asks for one on ``grade``, ``check``, ``grade-all`` and
``ci`` (``--json``, ``--junit`` and ``--gradescope`` are its older spellings).
Each format stays one module that consumes results; this registry says what
it needs besides them (the course, Gradescope's hidden-check visibility) and
what PATH is. A per-submission format (gradescope, classroom, summary) writes
one file for one submission; for a class or several submissions PATH is a
folder holding ``<student>/<file>`` per submission (:func:`student_stem`).
A format with a text form (json, junit) may go to stdout (``-``).
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course
from grader.report.classroom import classroom_result
from grader.report.csv_report import write_csv
from grader.report.gradescope import Visibility, write_gradescope
from grader.report.json_report import to_json
from grader.report.junit import junit_xml
from grader.report.step_summary import step_summary
from grader.report.student_feedback import write_feedback
from grader.report.student_files import student_stem
from grader.results import SubmissionResult


@dataclass(frozen=True)
class Context:
    """What some formats need besides the results."""

    course: Course
    several: bool  # a class or several submissions: a per-submission format writes a folder
    hidden_visibility: Visibility = "after_published"


Writer = Callable[[list[SubmissionResult], Path, Context], None]


@dataclass(frozen=True)
class Format:
    """One output format: its title, a line for ``--help``, and how it is written."""

    title: str
    description: str
    write: Writer
    text: Callable[[list[SubmissionResult]], str] | None = None  # the document as text: it may go to stdout


@dataclass(frozen=True)
class Report:
    """One requested output: a format and where it goes (None: stdout)."""

    format: str
    path: Path | None


def _per_submission(file: str, write_one: Callable[[SubmissionResult, Path, Context], None]) -> Writer:
    """One submission: ``path`` is the file; several: ``path/<student>/<file>`` for each."""

    def write(results: list[SubmissionResult], path: Path, context: Context) -> None:
        if not context.several:
            (result,) = results
            write_one(result, path, context)
            return
        for result in results:
            target = path / student_stem(result.submission) / file
            target.parent.mkdir(parents=True, exist_ok=True)
            write_one(result, target, context)

    return write


def _document(text: str) -> str:
    """A text document as it is written: ending with exactly the newline it has, or one."""
    return text if text.endswith("\n") else text + "\n"


def _text_format(title: str, description: str, text: Callable[[list[SubmissionResult]], str]) -> Format:
    def write(results: list[SubmissionResult], path: Path, context: Context) -> None:
        path.write_text(_document(text(results)), encoding="utf-8")

    return Format(title, description, write, text)


def _classroom(result: SubmissionResult, path: Path, context: Context) -> None:
    path.write_text(json.dumps(classroom_result(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _summary(result: SubmissionResult, path: Path, context: Context) -> None:
    path.write_text(step_summary(result), encoding="utf-8")


def _class_html(results: list[SubmissionResult], path: Path, context: Context) -> None:
    from grader.report.class_report import write_report  # here: matplotlib would add 0.5 s to every command's start

    write_report(context.course, results, path)


FORMATS: dict[str, Format] = {
    "json": _text_format("JSON", "the dlgrade.result/1 document (a list for several submissions)", to_json),
    "junit": _text_format("JUnit XML", "JUnit XML for CI dashboards", junit_xml),
    "gradescope": Format("Gradescope results", "Gradescope's results.json",
                         _per_submission("results.json", lambda r, p, c: write_gradescope(r, p, c.hidden_visibility))),
    "classroom": Format("GitHub Classroom result", "the GitHub Classroom runner result (decoded)",
                        _per_submission("classroom.json", _classroom)),
    "summary": Format("step summary", "the Markdown summary `ci` adds to $GITHUB_STEP_SUMMARY",
                      _per_submission("summary.md", _summary)),
    "csv": Format("CSV", "a row per submission, a column per exercise", lambda r, p, c: write_csv(c.course, r, p)),
    "feedback": Format("feedback", "a folder of <student>.md and .html feedback pages",
                       lambda r, p, c: write_feedback(r, p)),
    "html": Format("class report", "the class report page (scores, common mistakes, crashes, times)", _class_html),
}


def parse_report(value: str) -> Report:
    """``FORMAT=PATH`` (``-``: stdout) as a :class:`Report`; ``ValueError`` saying what is wrong."""
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise ValueError(f"expected FORMAT=PATH (e.g. junit=junit.xml), got {value!r}")
    if name not in FORMATS:
        close = difflib.get_close_matches(name, list(FORMATS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown format {name!r}{hint}; the formats are {', '.join(FORMATS)}")
    if path == "-" and FORMATS[name].text is None:
        raise ValueError(f"{name} cannot go to stdout ('-'): give a path")
    return Report(name, None if path == "-" else Path(path))


def write_reports(reports: Iterable[Report], results: list[SubmissionResult], context: Context) -> None:
    """Write every report: to its path (parent folders created), or to stdout."""
    for report in reports:
        form = FORMATS[report.format]
        if report.path is None:
            assert form.text is not None, "parse_report lets only text formats go to stdout"
            sys.stdout.write(_document(form.text(results)))
        else:
            report.path.parent.mkdir(parents=True, exist_ok=True)
            form.write(results, report.path, context)
