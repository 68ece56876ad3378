"""Gradescope's ``results.json`` (the "Autograder Specifications" output format).

Visibility is deliberate: public checks are ``visible``; hidden checks use
``hidden_visibility`` (``after_published`` by default), and while any test is
not visible Gradescope does not show students their total. ``stdout`` holds
the instructor's view (hidden checks' feedback included), so it stays
``hidden``. The top-level ``output`` says only what concerns the submitted
files (missing, unreadable, notes), never a score. Gradescope renders every
``output`` as Markdown: student text in it is escaped (``markdown_text``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from grader.report.markdown_text import md_text
from grader.results import SubmissionResult

Visibility = Literal["hidden", "after_due_date", "after_published", "visible"]
VISIBILITIES: tuple[Visibility, ...] = ("hidden", "after_due_date", "after_published", "visible")


def gradescope_results(result: SubmissionResult, hidden_visibility: Visibility = "after_published") -> dict[str, Any]:
    """The ``results.json`` document for one submission."""
    tests: list[dict[str, Any]] = []
    for e in result.exercises:
        for c in e.checks:
            output = md_text(c.feedback or ("" if c.status == "passed" else e.details or c.status))
            visibility, kind = (hidden_visibility, "hidden") if c.hidden else ("visible", "public")
            tests.append(_test(f"{e.name}: {c.name}", c.score, c.max_score, c.status == "passed", output, visibility,
                               [e.name, kind]))
        if not e.checks:  # the grader failed on this exercise: keep its points in the listing
            tests.append(_test(e.name, 0.0, e.max_score, False, md_text(e.details or e.status), "visible", [e.name]))
    notes = [md_text(note) for note in result.notes]
    notes += [f"**{e.name}**\n\n{md_text(e.details)}" for e in result.exercises
              if e.status in ("missing", "unreadable") and e.details]
    return {
        "score": result.score,
        "execution_time": round(result.duration, 2),
        "output": "\n\n".join(notes),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _test(name: str, score: float, max_score: float, passed: bool, output: str, visibility: Visibility,
          tags: list[str]) -> dict[str, Any]:
    return {"name": name, "score": score, "max_score": max_score, "status": "passed" if passed else "failed",
            "output": output, "output_format": "md", "visibility": visibility, "tags": tags}


def write_gradescope(result: SubmissionResult, path: Path, hidden_visibility: Visibility = "after_published") -> None:
    """Write ``results.json`` (parent folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(gradescope_results(result, hidden_visibility), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
