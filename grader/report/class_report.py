"""``report.html``: one self-contained page about the whole class (plots inlined as PNG)."""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from grader.course import Course
from grader.report.control_chars import show_controls
from grader.report.grade_notes import adjusted, class_notes, common_due, moment
from grader.report.html_page import render_page
from grader.report.similarity_html import SIMILARITY, section
from grader.results import ExerciseResult, SubmissionResult
from grader.similarity.find import Similarity


@dataclass(frozen=True)
class CheckStat:
    """How often one check failed, and what students were told most often."""

    exercise: str
    check: str
    failed: int
    total: int
    message: str

    @property
    def rate(self) -> float:
        """Share of graded students that failed it."""
        return self.failed / self.total if self.total else 0.0


def check_stats(results: list[SubmissionResult]) -> list[CheckStat]:
    """Per-check failure rates over attempted exercises, most failed first (an untouched stub is no mistake)."""
    counts: dict[tuple[str, str], list[str]] = {}
    totals: Counter[tuple[str, str]] = Counter()
    for r in results:
        for e in r.exercises:
            if e.status in ("missing", "unreadable"):
                continue
            for c in e.checks:
                key = (e.name, c.name)
                totals[key] += 1
                if c.status != "passed" and not c.unattempted:
                    counts.setdefault(key, []).append(c.feedback.split("\n", 1)[0] or c.status)
    stats = [CheckStat(ex, name, len(msgs), totals[(ex, name)], Counter(msgs).most_common(1)[0][0])
             for (ex, name), msgs in counts.items()]
    return sorted(stats, key=lambda s: (-s.rate, s.exercise, s.check))


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _totals_plot(results: list[SubmissionResult], top: float) -> str:
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist([r.final_score for r in results], bins=min(20, max(int(top), 1)), range=(0, top or 1), color="#4c72b0",
            edgecolor="white")
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Total scores")
    return _png(fig)


def _exercise_plot(course: Course, results: list[SubmissionResult]) -> str:
    names = course.names
    groups = {"full marks": [], "partial": [], "zero": [], "missing / unreadable": []}  # type: dict[str, list[int]]
    for name in names:
        row = Counter()  # type: Counter[str]
        for r in results:
            e = next((x for x in r.exercises if x.name == name), None)
            if e is None or e.status in ("missing", "unreadable"):
                row["missing / unreadable"] += 1
            elif e.score >= e.max_score:
                row["full marks"] += 1
            elif e.score > 0:
                row["partial"] += 1
            else:
                row["zero"] += 1
        for key in groups:
            groups[key].append(row[key])
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.2))
    left = [0] * len(names)
    colors = {"full marks": "#55a868", "partial": "#dd8452", "zero": "#c44e52", "missing / unreadable": "#8c8c8c"}
    for key, values in groups.items():
        ax.barh(names, values, left=left, label=key, color=colors[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("students")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Scores per exercise")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return _png(fig)


def _time_plot(results: list[SubmissionResult]) -> str:
    ordered = sorted(results, key=lambda r: r.duration, reverse=True)[:40]
    fig, ax = plt.subplots(figsize=(7, 0.25 * len(ordered) + 1.2))
    ax.barh(range(len(ordered)), [r.duration for r in ordered], color="#8172b3")
    # student ids as plain text: a "$" would start matplotlib's math mode, whose parse errors end the report
    ax.set_yticks(range(len(ordered)), [show_controls(r.submission, newlines=False) for r in ordered],
                  parse_math=False)
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.set_title("Grading time per student (slowest first)")
    return _png(fig)


def render_report(course: Course, results: list[SubmissionResult], similarity: Similarity | None = None) -> str:
    """The page, as HTML text; with ``similarity``, its section too (pair pages in ``similarity/``)."""
    totals = [r.final_score for r in results]
    top = results[0].max_score if results else sum(ex.points for ex in course.exercises)
    troubled = [(r.submission, e.name, e.troubled, _why(e).split("\n", 1)[0])
                for r in results for e in r.exercises if e.troubled]
    summary = {
        "students": len(results),
        "mean": statistics.fmean(totals) if totals else 0.0,
        "median": statistics.median(totals) if totals else 0.0,
        "max": top,
        "errored": len({t[0] for t in troubled}),
        "time": sum(r.duration for r in results),
        "late": sum(any(e.penalty for e in r.exercises) for r in results),
        "extended": sum(any(e.extended for e in r.exercises) for r in results),
        "overridden": sum(e.overridden for r in results for e in r.exercises),
        "flagged": sum(bool(e.override_flag) for r in results for e in r.exercises),
    }
    adjustments = [(r, notes) for r in sorted(results, key=lambda r: r.submission) if (notes := class_notes(r))]
    plots = {"totals": _totals_plot(results, top), "exercises": _exercise_plot(course, results),
             "times": _time_plot(results)} if results else {}
    return render_page("report.html.j2", course=course, summary=summary, plots=plots,
                       checks=check_stats(results)[:30], troubled=troubled, adjustments=adjustments,
                       results=sorted(results, key=lambda r: r.submission), adjusted=adjusted, moment=moment,
                       common_due=common_due, **(section(similarity, f"{SIMILARITY}/") if similarity else {}))


def _why(e: ExerciseResult) -> str:
    """What the student was told about the trouble: the exercise's note, or its first check that ended so."""
    if e.status == e.troubled:
        return e.message
    return next(c.feedback for c in e.checks if c.status == e.troubled)


def write_report(course: Course, results: list[SubmissionResult], path: Path,
                 similarity: Similarity | None = None) -> None:
    """Write ``report.html``."""
    path.write_text(render_report(course, results, similarity), encoding="utf-8")
