"""``dlgrade export canvas|moodle`` and ``dlgrade canvas push``: a grade-all run's grades into an LMS."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from grader.bulk.overrides import open_class
from grader.bulk.settle import final_results
from grader.cli.group import cli
from grader.exceptions import LmsError
from grader.lms.canvas_csv import canvas_import, read_template
from grader.lms.csv_files import Export, write_table
from grader.lms.matching import Matching
from grader.lms.moodle_csv import KEY_HEADERS, MoodleKey, moodle_import
from grader.report.terminal import shown
from grader.results import SubmissionResult

if TYPE_CHECKING:  # canvasapi and requests load only when ``canvas push`` runs
    from grader.lms.canvas_push import PushReport, Update

TOKEN_VARIABLE = "CANVAS_API_TOKEN"
_out_argument = click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))


@cli.group()
def export() -> None:
    """Write a grade-all run's final scores as a file an LMS's grade import takes."""


@export.command("canvas")
@_out_argument
@click.option("--template", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The course's gradebook exported from Canvas (Grades > Export): who is who, and the columns.")
@click.option("--assignment", required=True,
              help="The assignment column to fill: its title, its id, or the whole header 'Title (id)'.")
@click.option("--to", "to", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write, for Canvas's Grades > Import.")
def export_canvas(out: Path, template: Path, assignment: str, to: Path) -> None:
    """Fill in one assignment of a Canvas gradebook export with the final scores of OUT (a grade-all --out)."""
    made = canvas_import(read_template(template), assignment, _results(out))
    write_table(made.table, to)
    _report(made, to, "Canvas", "their grade is left as it was")
    click.echo("next: in Canvas, Grades > Import this file, and check the changes Canvas lists before saving")


@export.command("moodle")
@_out_argument
@click.option("--roster", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV of the course's students with a header row: Moodle's grade export, or "
                   "username,email,firstname,lastname (ID number and full name columns are used too).")
@click.option("--key", type=click.Choice(list(KEY_HEADERS)), default="email", show_default=True,
              help="The user field Moodle finds each student by.")
@click.option("--item", required=True, help="The grade item's name (the header of the grade column).")
@click.option("--to", "to", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write, for Moodle's Grades > Import > CSV file.")
def export_moodle(out: Path, roster: Path, key: MoodleKey, item: str, to: Path) -> None:
    """Write the final scores of OUT (a grade-all --out) for Moodle's CSV grade import."""
    made = moodle_import(roster, key, item, _results(out))
    write_table(made.table, to)
    _report(made, to, "roster", "not in the file")
    click.echo(f"next: in Moodle, Grades > Import > CSV file; map from '{KEY_HEADERS[key]}' to "
               f"'{KEY_HEADERS[key]}', and '{item}' to the grade item")


@cli.group()
def canvas() -> None:
    """Canvas through its API (an access token in $CANVAS_API_TOKEN)."""


@canvas.command("push")
@_out_argument
@click.option("--url", required=True, help="Canvas's address, e.g. https://canvas.example.edu.")
@click.option("--course", required=True, type=int, help="The Canvas course id (in the course's web address).")
@click.option("--assignment", required=True, type=int, help="The Canvas assignment id (in its web address).")
@click.option("--apply", is_flag=True, help="Post the grades and comments (default: only say what would change).")
def canvas_push(out: Path, url: str, course: int, assignment: int, apply: bool) -> None:
    """Post the final scores of OUT (a grade-all --out) and each student's feedback as a submission comment.

    Only what differs is posted: a run after a successful one posts nothing.
    """
    from grader.lms.canvas_push import CanvasTarget, push

    console = Console()
    report = push(_results(out), CanvasTarget(url, course, assignment), os.environ.get(TOKEN_VARIABLE, ""), apply,
                  on_update=lambda update: _show_update(update, apply, console))
    _push_summary(report, console)


def _results(out: Path) -> list[SubmissionResult]:
    """The final results in ``out``'s gradebook: late penalties as last settled, overrides applied."""
    with open_class(out) as book:
        return final_results(book)


def _report(made: Export, to: Path, side: str, left: str) -> None:
    console = Console()
    console.print(shown(f"wrote {to}: {made.matching.summary(side)}"), style="bold")
    _unmatched(made.matching, side, left, console)
    for note in made.notes:
        console.print(shown(f"note: {note}"), style="yellow")


def _unmatched(matching: Matching, side: str, left: str, console: Console) -> None:
    if missing := matching.unmatched_candidates:
        console.print(f"{side} students no dlgrade id matched ({left}):", style="yellow")
        for candidate in missing:
            console.print(shown("  " + candidate.label, newlines=False))
    if matching.unmatched_students:
        console.print(f"dlgrade students not found among the {side} students:", style="yellow")
        for student in matching.unmatched_students:
            console.print(shown("  " + student, newlines=False))


def _show_update(update: Update, apply: bool, console: Console) -> None:
    if update.error:
        console.print(shown(f"  {update.student}: failed: {update.error}", newlines=False), style="red")
    elif update.post_grade or update.post_comment:
        was = f" (Canvas has {update.current or 'none'})" if update.post_grade else ""
        verb = "posted" if apply else "would post"
        console.print(shown(f"  {update.student} = {update.user}: {verb} {update.action} {update.grade}{was}",
                            newlines=False))


def _push_summary(report: PushReport, console: Console) -> None:
    changed = [u for u in report.updates if not u.error and (u.post_grade or u.post_comment)]
    grades, comments = sum(u.post_grade for u in changed), sum(u.post_comment for u in changed)
    console.print(shown(f"{report.course}: {report.assignment}: {report.matching.summary('Canvas')}"),
                  style="bold")
    _unmatched(report.matching, "Canvas", "nothing posted", console)
    for note in report.notes:
        console.print(shown(f"note: {note}"), style="yellow")
    if report.failed:
        table = Table("student", "Canvas user", "error", title="not updated", title_justify="left")
        for update in report.failed:
            table.add_row(shown(update.student), shown(update.user), shown(update.error))
        console.print(table)
    if report.applied:
        console.print(f"posted {grades} grades and {comments} comments")
    else:
        console.print(f"dry run: would post {grades} grades and {comments} comments; nothing was written "
                      "(--apply posts them)")
    if report.failed:
        raise LmsError(f"students not updated: {len(report.failed)} (the table above); run again to retry them: "
                       "what is already in Canvas is skipped")
