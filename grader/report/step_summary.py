"""The Markdown a GitHub Actions job shows on its summary page: scores, then what to fix.

Only the score table and the student-facing feedback: check names, statuses
and messages, never a check's source. Student text is shown, never rendered
(``markdown_text``).
"""

from __future__ import annotations

from grader.report.glyphs import MARK
from grader.report.markdown_text import md_block, md_inline
from grader.results import CheckResult, SubmissionResult


def step_summary(result: SubmissionResult) -> str:
    """The summary for one submission."""
    lines = [f"## dlgrade: {result.score:g} / {result.max_score:g}", ""]
    if result.mode == "check":
        lines += ["Public checks only: your instructor grades with more checks, so passing them all is a good sign, "
                  "not a guarantee.", ""]
    lines += ["| exercise | score | checks passed | status |", "|---|---:|---:|---|"]
    for e in result.exercises:
        passed = sum(c.status == "passed" for c in e.checks)
        lines.append(f"| {e.name} | {e.score:g} / {e.max_score:g} | {passed} / {len(e.checks)} | {e.status} |")
    lines.append(f"| **total** | **{result.score:g} / {result.max_score:g}** | | |")
    lines += [line for note in result.notes for line in ("", f"> note: {md_inline(note)}")]
    for e in result.exercises:
        todo = [c for c in e.checks if c.status != "passed"]
        if not todo and not e.details:
            continue
        lines += ["", f"### {e.name}: {e.title} ({e.score:g} / {e.max_score:g})", ""]
        if e.details:
            lines += [md_block(e.details), ""]
        if e.status not in ("missing", "unreadable"):
            lines += [_check_line(c) for c in todo]
    return "\n".join(lines).rstrip("\n") + "\n"


def _check_line(c: CheckResult) -> str:
    head = f"- {MARK[c.status]} **{md_inline(c.name)}** ({c.score:g} / {c.max_score:g})"
    if "\n" in c.feedback:
        return f"{head}\n\n" + "\n".join("  " + line for line in md_block(c.feedback).splitlines())
    return f"{head}: {md_inline(c.feedback)}" if c.feedback else head
