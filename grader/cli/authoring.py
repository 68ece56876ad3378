"""``dlgrade build``, ``release``, ``new`` and ``validate``: working on the course itself."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from grader.authoring.build import artifacts
from grader.authoring.build import build as build_course
from grader.authoring.release import release as release_bundle
from grader.authoring.scaffold import new_exercise
from grader.authoring.validate import validate as validate_course
from grader.cli.group import cli, course_option, isolation_option
from grader.course import find_manifest, load_course
from grader.exceptions import CourseInvalid, StaleArtifacts
from grader.grading import Isolation
from grader.report.terminal import render_validation


@cli.command()
@course_option
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
@course_option
def release(out: Path, course: Path | None) -> None:
    """Write the student bundle (a folder, or OUT.zip): statements, stubs, public checks, the engine."""
    loaded = load_course(course or find_manifest())
    files = release_bundle(loaded, out)
    click.echo(f"wrote {out} ({len(files)} files, no hidden check or solution)")



@cli.command()
@click.argument("name")
@click.option("--title", default=None, help="The exercise's title (default: NAME).")
@course_option
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
@course_option
@isolation_option
def validate(course: Path | None, isolation: Isolation) -> None:
    """Check the course: solutions get full marks, stubs zero, stubs up to date, points add up."""
    loaded = load_course(course or find_manifest())
    verdicts = validate_course(loaded, isolation)
    render_validation(verdicts, Console())
    bad = [v.name for v in verdicts if not v.ok]
    if bad:
        raise CourseInvalid(f"{len(bad)} exercise(s) need attention: {', '.join(bad)}")

