"""What ``%dlgrade check`` shows in a notebook cell: an HTML fragment with the scores, each check, hints when asked.

Rendered by the check server (the kernel needs no jinja) through the
autoescaping environment of :mod:`grader.report.html_page`, so student text
(file names, messages, printed output) is always inert. A cell output is a
fragment, not a page: its ``<style>`` is scoped to the ``dlgrade-check`` wrapper.
"""

from __future__ import annotations

from grader.course import Course
from grader.report.glyphs import MARK
from grader.report.html_page import render_page
from grader.results import SubmissionResult

UNSAVED = ("This notebook has changes that are not saved: the check graded the file as saved on disk. "
           "Save (Ctrl-S) and check again.")
HIDDEN = "Hidden checks are not run here: your grade may be lower than this."
TEMPLATE = "notebook_check.html.j2"


def render(result: SubmissionResult, course: Course, hints: bool = False, unsaved: bool = False) -> str:
    """The public checks' result; ``hints``: with the hints of the checks that did not pass; ``unsaved``: the
    kernel ran code the saved file does not hold (said first)."""
    checks = [c for e in result.exercises for c in e.checks]
    return render_page(TEMPLATE, r=result, mark=MARK, hints=hints, unsaved=UNSAVED if unsaved else "",
                       hidden_note=HIDDEN, points={ex.name: ex.points for ex in course.exercises},
                       any_hint=any(c.hint for c in checks if c.status != "passed"),
                       all_passed=all(c.status == "passed" for c in checks))


def render_error(message: str, unsaved: bool = False) -> str:
    """Why no check ran (no such exercise, the file is gone, no course manifest)."""
    return render_page(TEMPLATE, error=message, unsaved=UNSAVED if unsaved else "")
