"""Command line: a thin shell over :mod:`grader.grading`.

Exit status: 0 whenever grading completed, whatever the score; otherwise the
``exit_code`` of the :class:`~grader.exceptions.GraderError` that stopped it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from grader.authoring.build import artifacts
from grader.authoring.build import build as build_course
from grader.authoring.release import release as release_bundle
from grader.authoring.scaffold import new_exercise
from grader.authoring.validate import validate as validate_course
from grader.bulk.grade_all import grade_all, write_outputs
from grader.course import find_manifest, load_course
from grader.exceptions import CourseInvalid, GraderError, StaleArtifacts
from grader.grading import grade_paths
from grader.report.json_report import to_json
from grader.report.terminal import render, render_class_summary, render_layers, render_validation
from grader.results import SubmissionResult
from grader.sandbox.slot import Layer


@click.group()
@click.version_option(package_name="dlgrade")
def cli() -> None:
    """dlgrade: grade PyTorch data-loading exercises in a sandbox."""


def _common(fn):  # type: ignore[no-untyped-def]
    options = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--exercise", "-e", "exercises", multiple=True, help="Grade only this exercise (repeatable)."),
        click.option("--json", "json_out", type=click.Path(allow_dash=True), help="Write results as JSON ('-': stdout)."),
        click.option("--course", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="The course manifest (default: nearest course.toml)."),
        click.option("--isolation", type=click.Choice(["auto", "fork", "spawn"]), default="auto", show_default=True,
                     help="fork: warm sandboxed runners (Linux); spawn: a fresh interpreter per exercise."),
        click.option("--verbose", "-v", is_flag=True, help="Show passed checks too."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run(paths: tuple[Path, ...], exercises: tuple[str, ...], json_out: str | None, course_path: Path | None,
         isolation: str, verbose: bool, hidden: bool) -> None:
    to_stdout = json_out == "-"
    console = Console(file=sys.stderr if to_stdout else sys.stdout)  # bound now: the judge redirects stdout
    course = load_course(course_path or find_manifest())

    def show(result: SubmissionResult) -> None:
        render(result, console, verbose)

    results = grade_paths(course, list(paths), list(exercises) or None, hidden, isolation,  # type: ignore[arg-type]
                          on_result=show, on_layers=lambda layers: render_layers(layers, console))
    if json_out:
        text = to_json(results)
        if to_stdout:
            click.echo(text)
        else:
            Path(json_out).write_text(text + "\n", encoding="utf-8")


@cli.command()
@_common
def grade(paths: tuple[Path, ...], exercises: tuple[str, ...], json_out: str | None, course: Path | None,
          isolation: str, verbose: bool) -> None:
    """Grade submissions (files, folders or zips) with public and hidden checks."""
    _run(paths, exercises, json_out, course, isolation, verbose, hidden=True)


@cli.command()
@_common
def check(paths: tuple[Path, ...], exercises: tuple[str, ...], json_out: str | None, course: Path | None,
          isolation: str, verbose: bool) -> None:
    """Run the public checks on your work (what students run before submitting)."""
    _run(paths, exercises, json_out, course, isolation, verbose, hidden=False)


def _course_option(fn):  # type: ignore[no-untyped-def]
    return click.option("--course", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="The course manifest (default: nearest course.toml).")(fn)


@cli.command("grade-all")
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for gradebook.sqlite, gradebook.csv, results/, feedback/ and report.html.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Judges grading in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Regrade everyone, even what is unchanged.")
@click.option("--isolation", type=click.Choice(["auto", "fork", "spawn"]), default="auto", show_default=True)
@_course_option
def grade_all_command(submissions: Path, out: Path, jobs: int | None, force: bool, isolation: str,
                      course: Path | None) -> None:
    """Grade a whole class: SUBMISSIONS is a folder or zip with one entry per student."""
    loaded = load_course(course or find_manifest())
    console = Console()
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

        run = grade_all(loaded, submissions, out, jobs or os.cpu_count() or 1, force, isolation,  # type: ignore[arg-type]
                        on_start=start, on_result=advance)
    write_outputs(loaded, run.results, out)
    render_class_summary(run, console)
    console.print(f"gradebook: {out / 'gradebook.sqlite'}  report: {out / 'report.html'}")


@cli.command()
@_course_option
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if any stub is out of date.")
def build(course: Path | None, check_only: bool) -> None:
    """Regenerate every exercise's stub from its marked solution."""
    loaded = load_course(course or find_manifest())
    if check_only:
        stale = [a for a in artifacts(loaded) if a.stale]
        for artifact in stale:
            click.echo(f"out of date: {artifact.path.relative_to(loaded.root)}")
        if stale:
            raise StaleArtifacts(f"{len(stale)} generated file(s) differ from the solutions; run `dlgrade build`")
        click.echo("all stubs are up to date")
        return
    written = build_course(loaded)
    for artifact in written:
        click.echo(f"wrote {artifact.path.relative_to(loaded.root)}")
    click.echo(f"{len(written)} file(s) written, {len(artifacts(loaded)) - len(written)} already up to date")


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@_course_option
def release(out: Path, course: Path | None) -> None:
    """Write the student bundle (a folder, or OUT.zip): statements, stubs, public checks, the engine."""
    loaded = load_course(course or find_manifest())
    files = release_bundle(loaded, out)
    click.echo(f"wrote {out} ({len(files)} files, no hidden check or solution)")


@cli.command()
@click.argument("name")
@click.option("--title", default=None, help="The exercise's title (default: NAME).")
@_course_option
def new(name: str, title: str | None, course: Path | None) -> None:
    """Scaffold exercise NAME: solution, statement, public and hidden checks, manifest entry, stub."""
    loaded = load_course(course or find_manifest())
    made = new_exercise(loaded, name, title or name.replace("_", " "))
    build_course(load_course(loaded.root / "course.toml"))
    for path in made.files:
        click.echo(f"created {path.relative_to(loaded.root)}")
    click.echo(f"added [[exercises]] {name} to course.toml and built its stub; next: write the solution and checks, "
               "then `dlgrade build` and `dlgrade validate`")


@cli.command()
@_course_option
@click.option("--isolation", type=click.Choice(["auto", "fork", "spawn"]), default="auto", show_default=True)
def validate(course: Path | None, isolation: str) -> None:
    """Check the course: solutions get full marks, stubs zero, stubs up to date, points add up."""
    loaded = load_course(course or find_manifest())
    verdicts = validate_course(loaded, isolation)  # type: ignore[arg-type]
    render_validation(verdicts, Console())
    bad = [v.name for v in verdicts if not v.ok]
    if bad:
        raise CourseInvalid(f"{len(bad)} exercise(s) need attention: {', '.join(bad)}")


def main() -> None:
    """Console entry point: map grader errors to exit codes in one place."""
    try:
        cli.main(standalone_mode=False)
    except GraderError as exc:
        click.secho(f"dlgrade: {exc}", err=True, fg="red")
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
