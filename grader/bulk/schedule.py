"""The order students are graded in: the costliest first, so that one slow student does not set the wall time.

With several judges the run ends when the last student does; a notebook or a
student who ran into a time limit last time, handed out last, would keep one
judge busy while the others idle. An exercise's expected cost is its duration
in the gradebook when it was graded before, else a guess by file kind.
"""

from __future__ import annotations

from grader.bulk.gradebook import Gradebook
from grader.bulk.plan import StudentPlan

GUESS_SECONDS = 0.3  # an exercise never graded before: a .py file's checks, on the order of a typical one
NOTEBOOK_FACTOR = 3.0  # a notebook runs every code cell before its checks


def expected_seconds(plan: StudentPlan, stored: dict[str, float]) -> float:
    """What grading ``plan`` should cost, from the ``stored`` durations of its exercises' last grading."""
    total = 0.0
    for ex in plan.to_grade:
        if ex.name in stored:
            total += stored[ex.name]
            continue
        source = plan.submission.files.get(ex.name)
        total += GUESS_SECONDS * (NOTEBOOK_FACTOR if source is not None and source.cells is not None else 1.0)
    return total


def costliest_first(plans: list[StudentPlan], book: Gradebook) -> list[StudentPlan]:
    """``plans`` by expected cost, highest first; equal costs keep their order."""
    stored = book.durations()
    return sorted(plans, key=lambda p: -expected_seconds(p, stored.get(p.submission.id, {})))
