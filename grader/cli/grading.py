"""``dlgrade grade``, ``check`` and ``grade-all``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from grader.bulk.comparing import Comparison
from grader.bulk.exports import write_outputs
from grader.bulk.faults import Tally, explained
from grader.bulk.grade_all import GRADEBOOK, grade_all
from grader.cli.group import cli, course_option, isolation_option, report_console, report_option
from grader.cli.policy import EXTENSIONS_FILE, load_extensions
from grader.cli.watch import watch_and_show
from grader.cluster.address import parse_scheduler
from grader.course import find_manifest, load_course
from grader.exceptions import UsageError
from grader.grading import Isolation, grade_paths
from grader.report.feedback_notebook import write_feedback_notebooks
from grader.report.formats import FORMATS, Context, Report, write_reports
from grader.report.gradescope import VISIBILITIES, Visibility
from grader.report.terminal import render, render_class_summary, render_layers, shown
from grader.results import SubmissionResult
from grader.sandbox.slot import Layer


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``grade`` and ``check`` share."""
    options: list[Callable[..., Any]] = [
        click.option("--exercise", "-e", "exercises", multiple=True, help="Grade only this exercise (repeatable)."),
        click.option("--json", "json_out", type=click.Path(allow_dash=True),
                     help="Write results as JSON ('-': stdout); the same as --report json=PATH."),
        report_option,
        course_option,
        isolation_option,
        click.option("--verbose", "-v", is_flag=True, help="Show passed checks too."),
        click.option("--kernel", is_flag=True,
                     help="Run notebooks with nbclient in a real kernel (slower, full fidelity)."),
        click.option("--feedback-notebook", "feedback_dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Write each graded notebook to DIR/<student>/ with a feedback cell at the top."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run(paths: tuple[Path, ...], exercises: tuple[str, ...], reports: list[Report], course_path: Path | None,
         isolation: Isolation, verbose: bool, hidden: bool, kernel: bool, feedback_dir: Path | None,
         hidden_visibility: Visibility = "after_published", hints: bool = False) -> None:
    console = report_console(reports)
    course = load_course(course_path or find_manifest())
    results = grade_paths(course, list(paths), list(exercises) or None, hidden, isolation,
                          on_result=lambda result: render(result, console, verbose, hints=hints),
                          on_layers=lambda layers: render_layers(layers, console),
                          engine="kernel" if kernel else "fast")
    if feedback_dir is not None:
        for path, result in zip(paths, results, strict=True):
            for written in write_feedback_notebooks(result, path, feedback_dir):
                console.print(shown(f"feedback notebook: {written}"))
    write_reports(reports, results, Context(course, len(paths) > 1, hidden_visibility))


def _json_alias(json_out: str | None) -> list[Report]:
    """``--json PATH`` as a report."""
    return [Report("json", None if json_out == "-" else Path(json_out))] if json_out else []


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_common
@click.option("--gradescope", "gradescope_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write Gradescope's results.json to this file (one submission); "
                   "the same as --report gradescope=PATH.")
@click.option("--hidden-visibility", type=click.Choice(VISIBILITIES), default="after_published", show_default=True,
              help="When Gradescope shows students the hidden checks' results.")
def grade(paths: tuple[Path, ...], exercises: tuple[str, ...], json_out: str | None, reports: list[Report],
          course: Path | None, isolation: Isolation, verbose: bool, kernel: bool, feedback_dir: Path | None,
          gradescope_out: Path | None, hidden_visibility: Visibility) -> None:
    """Grade submissions (files, folders or zips) with public and hidden checks."""
    if gradescope_out and len(paths) != 1:
        raise UsageError("--gradescope writes one submission's results.json: give one path")
    aliases = _json_alias(json_out) + ([Report("gradescope", gradescope_out)] if gradescope_out else [])
    _run(paths, exercises, aliases + reports, course, isolation, verbose, True, kernel, feedback_dir,
         hidden_visibility)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_common
@click.option("--hints", is_flag=True, help="Show the hint the exercise's author wrote for each check that failed.")
@click.option("--watch", is_flag=True,
              help="Check PATH (default: the current folder), then each exercise file again as you save it, "
                   "until Ctrl-C.")
def check(paths: tuple[Path, ...], exercises: tuple[str, ...], json_out: str | None, reports: list[Report],
          course: Path | None, isolation: Isolation, verbose: bool, kernel: bool, feedback_dir: Path | None,
          hints: bool, watch: bool) -> None:
    """Run the public checks on your work (what students run before submitting)."""
    if watch:
        if json_out or reports or feedback_dir:
            raise UsageError("--watch shows its results in the terminal: it takes no --json, --report or "
                             "--feedback-notebook")
        if len(paths) > 1:
            raise UsageError("--watch watches one folder or file")
        watch_and_show(paths[0] if paths else Path("."), list(exercises) or None, course, isolation, verbose,
                       hints, "kernel" if kernel else "fast")
        return
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...' (or --watch, to watch the current folder).")
    _run(paths, exercises, _json_alias(json_out) + reports, course, isolation, verbose, False, kernel, feedback_dir,
         hints=hints)


@cli.command("grade-all")
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for gradebook.sqlite, gradebook.csv, results/, feedback/ and report.html.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Judges grading in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Regrade everyone, even what is unchanged.")
@click.option("--times", "times", default="auto", show_default=True, metavar="auto|mtime|FILE",
              help="Where submission times come from when the course has a due date: auto (Gradescope metadata "
                   "or the last git commit), mtime (file times, a flagged fallback) or a CSV file "
                   "(student,submitted_at).")
@click.option("--extensions", "extensions", type=click.Path(dir_okay=False, path_type=Path),
              help=f"The per-student extensions CSV (default: {EXTENSIONS_FILE} beside the course manifest, "
                   "if there is one).")
@click.option("--scheduler", "scheduler", metavar="ADDRESS",
              help="Grade on a Dask cluster: a scheduler's address (tcp://HOST:8786, tls://…) or local:N for N "
                   "worker processes on this machine; --jobs and --isolation are then ignored "
                   "(see docs/scale-out.md).")
@report_option
@isolation_option
@course_option
def grade_all_command(submissions: Path, out: Path, jobs: int | None, force: bool, times: str,
                      extensions: Path | None, reports: list[Report], isolation: Isolation,
                      course: Path | None, scheduler: str | None) -> None:
    """Grade a whole class: SUBMISSIONS is a folder or zip with one entry per student. Then apply the course's
    due dates, late policy, extensions and overrides (with nothing to regrade, that is all it does)."""
    loaded = load_course(course or find_manifest())
    if times not in ("auto", "mtime") and not Path(times).is_file():
        raise UsageError(f"--times {times!r} is neither auto, mtime nor a CSV file")
    granted = load_extensions(loaded, extensions)
    if scheduler is not None:
        parse_scheduler(scheduler)  # a malformed address is a usage error before anything starts
    console = report_console(reports)
    tally = Tally(out / GRADEBOOK)
    comparison = Comparison(loaded, submissions)  # beside the grading: it reads only the class folder
    try:
        with Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                      TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console) as progress:
            task = progress.add_task("grading", total=None, rate="")

            def start(total: int, layers: list[Layer]) -> None:
                render_layers(layers, console)
                progress.update(task, total=total)

            def advance(result: SubmissionResult) -> None:
                progress.advance(task)
                elapsed = progress.tasks[0].elapsed or 0.0
                done = progress.tasks[0].completed
                progress.update(task, rate=f"{done / elapsed:.1f} students/s" if elapsed else "")

            run = grade_all(loaded, submissions, out, jobs or os.cpu_count() or 1, force, isolation,
                            on_start=start, on_result=advance, tally=tally,
                            times=times if times in ("auto", "mtime") else Path(times), extensions=granted,
                            scheduler=scheduler, on_note=lambda note: console.print(shown(note)))
        similarity = comparison.result()
    finally:
        comparison.close()
    tally.exporting = True
    with explained(tally):
        write_outputs(loaded, run.results, out, reports, similarity=similarity, jobs=jobs or os.cpu_count() or 1)
    render_class_summary(run, console)
    console.print(f"gradebook: {out / 'gradebook.sqlite'}  report: {out / 'report.html'}")
    for report in reports:
        if report.path is not None:
            console.print(shown(f"{FORMATS[report.format].title}: {report.path}"))
    if run.failed:
        raise tally.not_graded(run.failed)
