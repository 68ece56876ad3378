"""``dlgrade extend``, ``override`` and ``history``: deadlines and grades changed by hand, and what changed."""

from __future__ import annotations

import difflib
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from grader.bulk.exports import write_outputs
from grader.bulk.overrides import clear_override, open_class, require_student, set_override, student_history
from grader.cli.group import cli, course_option
from grader.course import Course, find_manifest, load_course
from grader.exceptions import UsageError
from grader.policy.dates import parse_moment
from grader.policy.extensions import EVERY, Extensions, add_extension, read_extensions
from grader.report.grade_notes import moment
from grader.report.terminal import shown
from grader.similarity.find import find_similar

EXTENSIONS_FILE = "extensions.csv"  # the default extensions file, beside the course manifest


def extensions_path(course: Course, given: Path | None) -> Path:
    """The extensions file: the one given, else ``extensions.csv`` beside the course manifest."""
    return given or course.root / EXTENSIONS_FILE


def load_extensions(course: Course, given: Path | None) -> Extensions:
    """The extensions granted: those in the file given (which must exist), else in the default file if any."""
    path = extensions_path(course, given)
    if given is None and not path.is_file():
        return Extensions()
    return read_extensions(path, course.timezone, course.names)


@cli.command()
@click.argument("student")
@click.option("--days", type=click.IntRange(min=1), help="Days added to the due date.")
@click.option("--due", "due", metavar="DATETIME",
              help="A new due date instead, e.g. 2026-12-08T23:59:00+01:00 (local: in [course] timezone).")
@click.option("--exercise", "-e", default=EVERY, show_default=True, help="The exercise (*: every exercise).")
@click.option("--reason", required=True, help="Why (recorded in the extensions file and the grade history).")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help=f"The extensions file (default: {EXTENSIONS_FILE} beside the course manifest).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="A grade-all --out folder: STUDENT must be in its gradebook.")
@course_option
def extend(student: str, days: int | None, due: str | None, exercise: str, reason: str, file: Path | None,
           out: Path | None, course: Path | None) -> None:
    """Give STUDENT more time; the next grade-all applies it (without regrading anything)."""
    if (days is None) == (due is None):
        raise UsageError("give --days N or --due DATETIME (one of them)")
    loaded = load_course(course or find_manifest())
    if exercise != EVERY and exercise not in loaded.names:
        close = difflib.get_close_matches(exercise, loaded.names, n=1)
        raise UsageError(f"no exercise {exercise!r}" + (f" (did you mean {close[0]!r}?)" if close else "") +
                         f"; the exercises are {', '.join(loaded.names)} (or * for every exercise)")
    if out is not None:
        with open_class(out) as book:
            require_student(book, student)
    try:
        new_due = None if due is None else parse_moment(due, loaded.timezone)
    except ValueError as exc:
        raise UsageError(f"--due {exc}") from None
    path = extensions_path(loaded, file)
    granted = add_extension(path, student, exercise, days=days, due=new_due, reason=reason, zone=loaded.timezone)
    what = "every exercise" if exercise == EVERY else exercise
    console = Console()
    console.print(shown(f"{path}: {student}, {what}: {granted.note}"))
    console.print("the next `dlgrade grade-all` applies it (it regrades nothing)")


@cli.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("student")
@click.argument("exercise")
@click.argument("score", type=float, required=False)
@click.option("--reason", default="", help="Why (required to set a score; recorded with who and when).")
@click.option("--clear", is_flag=True, help="Remove the override: the computed score counts again.")
@course_option
def override(out: Path, student: str, exercise: str, score: float | None, reason: str, clear: bool,
             course: Path | None) -> None:
    """Set STUDENT's final SCORE for EXERCISE in OUT (a grade-all --out) by hand, and rewrite its exports."""
    if clear == (score is not None):
        raise UsageError("give a SCORE, or --clear to remove the override")
    loaded = load_course(course or find_manifest())
    with open_class(out) as book:
        if score is None:
            results = clear_override(book, student, exercise, reason)
        else:
            results = set_override(book, student, exercise, score, reason)
        source = book.class_folder()
    write_outputs(loaded, results, out, similarity=find_similar(loaded, source) if source is not None else None)
    final = next(e for r in results if r.submission == student for e in r.exercises if e.name == exercise)
    done = f"override of {student}'s {exercise}: " + (
        f"set to {final.override_score:g} (raw score {final.score:g})" if final.overridden else
        f"cleared (final score {final.final_score:g})")
    console = Console()
    console.print(shown(done))
    console.print(shown(f"report: {out / 'report.html'}"))


@cli.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("student")
def history(out: Path, student: str) -> None:
    """Every change to STUDENT's grade in OUT (a grade-all --out): gradings, penalties, extensions, overrides."""
    with open_class(out) as book:
        events = student_history(book, student)
    table = Table(title=shown(f"grade history of {student}", newlines=False), title_justify="left",
                  caption="graded: the raw score from the checks; penalty: points off for lateness; override: "
                          "the final score set by hand")
    table.add_column("when (UTC)", no_wrap=True)
    table.add_column("what", no_wrap=True)
    table.add_column("exercise", overflow="fold")
    table.add_column("change")
    table.add_column("reason", ratio=1)
    for e in events:
        change = f"{moment(e.old) if e.old else '-'} → {moment(e.new) if e.new else '-'}"
        table.add_row(moment(e.at).removesuffix(" UTC"), e.kind, shown(e.exercise or "(all)"), shown(change),
                      shown(e.reason))
    Console().print(table)
