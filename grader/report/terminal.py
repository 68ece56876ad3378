"""The terminal view of results (rich).

Student text (ids, messages, printed output, file names) goes in as
:func:`shown` text: never parsed as rich markup, its control characters and
escape sequences made visible, so it cannot restyle, retitle, clear or
hyperlink the instructor's terminal.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.report.control_chars import show_controls
from grader.report.glyphs import MARK
from grader.results import CheckResult, SubmissionResult
from grader.sandbox.slot import Layer

if TYPE_CHECKING:  # only for annotations: importing them would load matplotlib on every start
    from grader.authoring.validate import Verdict
    from grader.bulk.grade_all import ClassRun

_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "timeout": "yellow", "crashed": "bold red"}


def shown(text: str, style: str = "", newlines: bool = True) -> Text:
    """Untrusted text for the terminal: as it is, no markup, control characters as escapes."""
    return Text(show_controls(text, newlines), style=style)


def _score(value: float, top: float) -> Text:
    style = "green" if value == top and top else "yellow" if value else "red"
    return Text(f"{value:g}/{top:g}", style=style)


def _check_line(check: CheckResult, hints: bool) -> Text:
    line = Text(f"  {MARK[check.status]} ", style=_STYLE[check.status])
    line.append(check.name)
    line.append(f"  {check.score:g}/{check.max_score:g}", style="dim")
    if check.feedback:
        line.append(shown("\n      " + check.feedback.replace("\n", "\n      "), style="default"))
    if hints and check.hint:
        line.append(shown("\n      hint: " + check.hint.replace("\n", "\n      "), style="cyan"))
    return line


def render(result: SubmissionResult, console: Console, verbose: bool = False, hints: bool = False) -> None:
    """One submission: a table of exercises, then the checks that need attention (``hints``: each with the
    instructor's hint, where its check has one)."""
    table = Table(title=shown(result.submission, newlines=False), title_justify="left", expand=False)
    table.add_column("exercise")
    table.add_column("score", justify="right")
    table.add_column("status")
    for ex in result.exercises:
        table.add_row(ex.name, _score(ex.score, ex.max_score), ex.status)
    table.add_row(Text("total", style="bold"), _score(result.score, result.max_score), "", end_section=True)
    parts: list[Text | Table] = [table]
    for note in result.notes:
        parts.append(shown(f"note: {note}", style="yellow"))
    for ex in result.exercises:
        listed = [c for c in ex.checks if verbose or c.status != "passed"]
        details = ex.details
        if ex.status == "graded" and not listed and not details:
            continue
        head = Text(f"{ex.name}: ", style="bold")
        head.append(shown(details.split("\n", 1)[0] if details else ex.status))
        parts.append(head)
        if "\n" in details:
            parts.append(shown("  " + details.split("\n", 1)[1].replace("\n", "\n  "), style="dim"))
        if ex.status in ("missing", "unreadable"):
            continue
        feedback = {c.feedback for c in listed}
        if len(listed) > 2 and len(feedback) == 1 and not verbose and not (hints and any(c.hint for c in listed)):
            parts.append(shown(f"  ✗ all {len(listed)} checks: {feedback.pop()}", style="red"))
        else:
            parts.extend(_check_line(c, hints) for c in listed)
    console.print(Panel(Group(*parts), expand=False))


def render_layers(layers: list[Layer], console: Console) -> None:
    """Which protections are in force on this machine."""
    text = Text("sandbox: ", style="bold")
    for layer in layers:
        text.append(("✓ " if layer.in_force else "✗ ") + layer.name, style="green" if layer.in_force else "yellow")
        text.append(f" ({layer.detail})  ", style="dim")
    console.print(text)


def render_validation(verdicts: list[Verdict], console: Console) -> None:
    """The course health table of ``dlgrade validate``, then each problem in full."""
    table = Table(title="course validation", title_justify="left")
    table.add_column("exercise", no_wrap=True)
    for column in ("points", "solution", "stub", "stub up to date", "ok"):
        table.add_column(column, no_wrap=True)
    for v in verdicts:
        sol = _score(v.solution.score, v.points) if v.solution else Text("-", style="red")
        stub = Text(f"{v.stub.score:g}/{v.points:g}", style="green" if v.stub.score == 0 else "red") if v.stub else "-"
        fresh = Text("yes", style="green") if v.stub_fresh else Text("no", style="red")
        table.add_row(v.name, f"{v.points:g}", sol, stub, fresh, Text("✓", "green") if v.ok else Text("✗", "red"))
    console.print(table)
    for v in verdicts:
        for problem in v.problems:
            console.print(Text(f"{v.name}: {problem}", style="red"), soft_wrap=True)


def render_class_summary(run: ClassRun, console: Console) -> None:
    """The end of ``grade-all``: students, mean, median (of the totals that count), errors; then late students,
    extensions and overrides, when there are any."""
    totals = [r.final_score for r in run.results]
    errored = [r.submission for r in run.results if any(e.troubled for e in r.exercises)]
    table = Table(title="class summary", title_justify="left")
    for column in ("students", "graded now", "unchanged", "mean", "median", "with errors", "not graded"):
        table.add_column(column, justify="right")
    top = run.results[0].max_score if run.results else 0
    table.add_row(str(len(run.results)), str(len(run.graded)), str(len(run.reused)),
                  f"{statistics.fmean(totals):.1f}/{top:g}" if totals else "-",
                  f"{statistics.median(totals):g}" if totals else "-", str(len(errored)),
                  Text(str(len(run.failed)), style="red" if run.failed else "green"))
    console.print(table)
    _render_adjustments(run.results, console)
    for note in run.notes:
        console.print(shown(f"note: {note}", style="yellow"))
    if run.failed:
        console.print(shown("not graded (the judge failed; run again to retry): " + ", ".join(run.failed), style="red"))


def _render_adjustments(results: list[SubmissionResult], console: Console) -> None:
    """How many students lost points for lateness or had an extension, how many scores were overridden, how many
    have no submission time; each flagged override."""
    late = sum(any(e.penalty for e in r.exercises) for r in results)
    extended = sum(any(e.extended for e in r.exercises) for r in results)
    overridden = sum(e.overridden for r in results for e in r.exercises)
    if late or extended or overridden:
        console.print(f"with a late penalty: {late}, with an extension: {extended}, overridden scores: {overridden} "
                      "(the mean and median count them)")
    untimed = [r for r in results if not r.submitted_at and any(e.due for e in r.exercises)]
    if untimed:
        console.print(shown(f"no submission time for {len(untimed)} of {len(results)} students, so none of them is "
                            f"late: {untimed[0].time_source}", style="yellow"))
    for r in results:
        for e in r.exercises:
            if e.override_flag:
                console.print(shown(f"review the override of {r.submission}'s {e.name}: {e.override_flag}",
                                    style="yellow"))
