"""What a student sees: ``feedback/<student>.md`` and ``.html`` (scores, messages, no check source)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from grader.results import SubmissionResult

_ENV = Environment(loader=PackageLoader("grader.report", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
MARK = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "crashed": "☠"}


def markdown(result: SubmissionResult) -> str:
    """The student's feedback as Markdown."""
    return _ENV.get_template("feedback.md.j2").render(r=result, mark=MARK)


def html(result: SubmissionResult) -> str:
    """The student's feedback as a self-contained HTML page."""
    return _ENV.get_template("feedback.html.j2").render(r=result, mark=MARK)


def safe_name(student: str) -> str:
    """A file name for a student id (ids come from folder names, but never trust them)."""
    cleaned = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in student).strip(".")
    return cleaned or "_"


def write_feedback(results: list[SubmissionResult], folder: Path) -> None:
    """``folder/<student>.md`` and ``.html`` for every student."""
    folder.mkdir(parents=True, exist_ok=True)
    for result in results:
        name = safe_name(result.submission)
        (folder / f"{name}.md").write_text(markdown(result), encoding="utf-8")
        (folder / f"{name}.html").write_text(html(result), encoding="utf-8")
