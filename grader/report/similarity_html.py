"""The similarity pages: the section (in ``report.html`` and the ``similarity`` index) and a side-by-side page per pair.

Pages are rendered like every other page (:mod:`grader.report.html_page`):
student ids, file names and code are text, never markup, and no script runs.
Pair pages are named by exercise and rank (``pad_collate-1.html``), so no
student text ever makes a file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.course import Course
from grader.report.html_page import render_page
from grader.similarity.corpus import Document
from grader.similarity.find import ExerciseSimilarity, Similarity
from grader.similarity.fingerprint import Span

INDEX = "index.html"
SIMILARITY = "similarity"  # the folder of the pair pages beside report.html


@dataclass(frozen=True)
class Line:
    """One line of a file on a pair page, and whether the other file shares it."""

    number: int
    text: str
    matched: bool


def page_name(exercise: str, rank: int) -> str:
    """The file name of the page of an exercise's pair ranked ``rank`` (from 1)."""
    return f"{exercise}-{rank}.html"


def flagged(similarity: Similarity) -> list[ExerciseSimilarity]:
    """The exercises with flagged pairs, the one with the most similar pair first."""
    return sorted((ex for ex in similarity.exercises if ex.pairs),
                  key=lambda ex: (-ex.pairs[0].score, -ex.pairs[0].shared))


def section(similarity: Similarity, pages: str) -> dict[str, Any]:
    """What the section's template needs; ``pages``: the pair pages' folder as a link prefix (``similarity/``)."""
    return {"similarity": similarity, "flagged": flagged(similarity), "pages": pages, "page_name": page_name}


def write_pair_pages(similarity: Similarity, folder: Path, back: str) -> None:
    """One page per flagged pair in ``folder``, each linking to ``back`` (the list)."""
    folder.mkdir(parents=True, exist_ok=True)
    for exercise in similarity.exercises:
        for rank, pair in enumerate(exercise.pairs, start=1):
            html = render_page("similarity_pair.html.j2", exercise=exercise, pair=pair, rank=rank, back=back,
                               sides=[(pair.a, _lines(pair.a, pair.lines_a)), (pair.b, _lines(pair.b, pair.lines_b))])
            (folder / page_name(exercise.name, rank)).write_text(html, encoding="utf-8")


def write_similarity(course: Course, similarity: Similarity, folder: Path) -> Path:
    """``folder/index.html`` (the section as a page) and the pair pages beside it; returns the index."""
    write_pair_pages(similarity, folder, INDEX)
    index = folder / INDEX
    index.write_text(render_page("similarity.html.j2", course=course, **section(similarity, "")), encoding="utf-8")
    return index


def _lines(document: Document, matched: tuple[Span, ...]) -> list[Line]:
    shared = {number for first, last in matched for number in range(first, last + 1)}
    return [Line(number, text, number in shared)
            for number, text in enumerate(document.text.split("\n"), start=1)]  # lines as tokenize counts them
