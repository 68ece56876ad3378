"""The flagged pairs as plain data for scripts (``--json``): one object per pair, most similar first per exercise."""

from __future__ import annotations

from typing import Any

from grader.report.similarity_html import page_name
from grader.similarity.find import Similarity


def records(similarity: Similarity, pages: str = "") -> list[dict[str, Any]]:
    """One object per flagged pair; ``pages``: where the pair pages are, as a link prefix."""
    out: list[dict[str, Any]] = []
    for exercise in similarity.exercises:
        clusters = {author: index for index, group in enumerate(exercise.clusters, start=1) for author in group}
        for rank, pair in enumerate(exercise.pairs, start=1):
            out.append({
                "exercise": exercise.name,
                "rank": rank,
                "student_a": pair.a.author.id,
                "student_b": pair.b.author.id,
                "score": round(pair.score, 4),
                "shared": pair.shared,
                "fraction_a": round(pair.fraction_a, 4),
                "fraction_b": round(pair.fraction_b, 4),
                "archived_a": pair.a.author.archived,
                "archived_b": pair.b.author.archived,
                "file_a": pair.a.file,
                "file_b": pair.b.file,
                "lines_a": [list(span) for span in pair.lines_a],
                "lines_b": [list(span) for span in pair.lines_b],
                "cluster": clusters.get(pair.a.author),
                "page": pages + page_name(exercise.name, rank),
            })
    return out
