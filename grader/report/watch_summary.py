"""The terminal view of ``dlgrade check --watch``: one line per exercise seen, redrawn after every verdict."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.report.glyphs import MARK
from grader.report.terminal import shown
from grader.watch import Summary


def render_summary(summary: Summary, watched: Path, console: Console) -> None:
    """What is watched, then each exercise's newest verdict: score, checks passed and not, when, which file."""
    title = Text("watching ", style="bold")
    title.append(shown(str(watched), newlines=False))
    title.append(" · save a file to check it again · Ctrl-C stops", style="dim")
    console.print(title)
    table = Table(box=None, pad_edge=False)
    for column in ("exercise", "score", "checks", "checked", "file"):
        table.add_column(column, justify="right" if column == "score" else "left", no_wrap=column != "file")
    for line in summary.lines:
        ex = line.exercise
        passed = sum(c.status == "passed" for c in ex.checks)
        failed = len(ex.checks) - passed
        if ex.status == "graded":
            checks = Text(f"{MARK['passed']} {passed}", style="green")
            checks.append(f"  {MARK['failed']} {failed}", style="red" if failed else "dim")
        else:
            checks = Text(ex.status, style="red")
        done = ex.score == ex.max_score and ex.max_score > 0
        score = Text(f"{ex.score:g}/{ex.max_score:g}", style="green" if done else "yellow" if ex.score else "red")
        table.add_row(ex.name, score, checks, line.at.strftime("%H:%M:%S"), shown(line.file, newlines=False))
    console.print(table)
