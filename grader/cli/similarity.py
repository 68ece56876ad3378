"""``dlgrade similarity``: pairs of students whose code is unusually similar, per exercise, with side-by-side pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from grader.cli.group import cli, course_option
from grader.course import find_manifest, load_course
from grader.report.similarity_html import write_similarity
from grader.report.terminal import shown
from grader.similarity.compare import Settings
from grader.similarity.find import find_similar
from grader.similarity.records import records

SHOWN_PER_EXERCISE = 3  # pairs named in the terminal; the page and --json have them all


@cli.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html and one side-by-side page per flagged pair.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Also write the flagged pairs as a JSON list ('-': stdout).")
@click.option("--against", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="An earlier term's archived submissions, laid out like a class (repeatable): "
                   "pairs with this class are listed, pairs within it are not.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=Settings.threshold, show_default=True,
              help="Score from which a pair is listed: the share of the smaller file's fingerprints the other holds, "
                   "lowered for short files.")
@click.option("--common", type=click.FloatRange(0, 1), default=Settings.common, show_default=True,
              help="Code found in more than this fraction of the students is an idiom and is left out.")
@course_option
def similarity(submissions: Path, out: Path, json_out: str | None, against: tuple[Path, ...], threshold: float,
               common: float, course: Path | None) -> None:
    """Find pairs of students whose code is unusually similar: a reason to look, not proof; no grade changes.

    SUBMISSIONS is a class folder or zip, as for grade-all.
    """
    loaded = load_course(course or find_manifest())
    console = Console(stderr=json_out == "-")
    result = find_similar(loaded, submissions, against, Settings(threshold=threshold, common=common))
    index = write_similarity(loaded, result, out)
    if json_out is not None:
        text = json.dumps(records(result), indent=2, ensure_ascii=False) + "\n"
        if json_out == "-":
            sys.stdout.write(text)
        else:
            Path(json_out).write_text(text, encoding="utf-8")
    for exercise in result.exercises:
        line = Text(f"{exercise.name}: {_pairs(len(exercise.pairs))} flagged of {exercise.documents} files")
        for pair in exercise.pairs[:SHOWN_PER_EXERCISE]:
            line.append(f"\n  {pair.score:.2f}  ")
            line.append_text(shown(_who(pair.a.author.id, pair.a.author.archived), newlines=False))
            line.append(" and ")
            line.append_text(shown(_who(pair.b.author.id, pair.b.author.archived), newlines=False))
        console.print(line)
    console.print(f"{result.students} students, {_pairs(result.flagged)} flagged: a reason to look, not proof; "
                  "no grade changes.")
    console.print(shown(f"similarity: {index}"))


def _pairs(count: int) -> str:
    return f"{count} pair" if count == 1 else f"{count} pairs"


def _who(student: str, archived: bool) -> str:
    return f"{student} (archived)" if archived else student
