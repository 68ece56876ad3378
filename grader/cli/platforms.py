"""``dlgrade ci`` and ``gradescope``: grading where a platform runs it."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.group import cli, course_option, isolation_option, report_console, report_option
from grader.course import find_manifest, load_course
from grader.exceptions import ScoreBelowThreshold
from grader.grading import Isolation, grade_paths
from grader.platforms.autograder_zip import write_autograder
from grader.platforms.github_actions import append_step_summary, set_output
from grader.report.classroom import encode
from grader.report.formats import FORMATS, Context, Report, write_reports
from grader.report.gradescope import VISIBILITIES, Visibility
from grader.report.step_summary import step_summary
from grader.report.terminal import render, render_layers, shown


@cli.command()
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--junit", "junit_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write JUnit XML to this file; the same as --report junit=PATH.")
@report_option
@click.option("--fail-under", type=click.FloatRange(min=0), default=None,
              help="Exit with status 1 when the score (in points) is below this (default: never).")
@course_option
@isolation_option
def ci(path: Path, junit_out: Path | None, reports: list[Report], fail_under: float | None, course: Path | None,
       isolation: Isolation) -> None:
    """Grade the repository checkout PATH (default: .) in CI.

    Writes the step summary to $GITHUB_STEP_SUMMARY and the GitHub Classroom
    runner result (step output `result`) to $GITHUB_OUTPUT when they are set.
    Without hidden checks (a student repository) it runs the public checks.
    """
    reports = ([Report("junit", junit_out)] if junit_out else []) + reports
    console = report_console(reports)
    loaded = load_course(course or find_manifest(path))
    hidden = all(ex.hidden_checks is not None for ex in loaded.exercises)
    (result,) = grade_paths(loaded, [path.resolve()], None, hidden, isolation,
                            on_result=lambda r: render(r, console), on_layers=lambda ls: render_layers(ls, console))
    if summary := append_step_summary(step_summary(result)):
        console.print(f"step summary: {summary}")
    if outputs := set_output("result", encode(result)):
        console.print(f"GitHub Classroom result: step output `result` in {outputs}")
    write_reports(reports, [result], Context(loaded, several=False))
    for report in reports:
        if report.path is not None:
            console.print(shown(f"{FORMATS[report.format].title}: {report.path}"))
    if fail_under is not None and result.score < fail_under:
        raise ScoreBelowThreshold(f"score {result.score:g}/{result.max_score:g} is below --fail-under {fail_under:g}")


@cli.command()
@click.option("--out", default=Path("autograder.zip"), show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The zip to upload on Gradescope's Configure Autograder page.")
@click.option("--hidden-visibility", type=click.Choice(VISIBILITIES), default="after_published", show_default=True,
              help="When Gradescope shows students the hidden checks' results.")
@course_option
def gradescope(out: Path, hidden_visibility: Visibility, course: Path | None) -> None:
    """Build the Gradescope autograder zip: setup.sh, run_autograder, the engine, the hidden checks."""
    loaded = load_course(course or find_manifest())
    files = write_autograder(loaded, out, hidden_visibility)
    click.echo(f"wrote {out} ({len(files)} files: hidden checks, no solution; never give it to students)")
