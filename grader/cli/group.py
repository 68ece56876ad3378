"""The ``dlgrade`` command group and the options its commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from grader.exceptions import UsageError
from grader.report.formats import FORMATS, Report, parse_report


@click.group()
@click.version_option(package_name="dlgrade")
def cli() -> None:
    """dlgrade: grade PyTorch data-loading exercises in a sandbox."""


def course_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--course``: the manifest (default: the nearest course.toml)."""
    return click.option("--course", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="The course manifest (default: nearest course.toml).")(fn)


def isolation_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--isolation``: forked warm runners, or a fresh interpreter per exercise."""
    return click.option("--isolation", type=click.Choice(["auto", "fork", "spawn"]), default="auto",
                        show_default=True,
                        help="fork: warm sandboxed runners (Linux); spawn: a fresh interpreter per exercise.")(fn)


def _parse_reports(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Report]:
    try:
        return [parse_report(value) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def report_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--report FORMAT=PATH`` (repeatable): the results in any format of :data:`~grader.report.formats.FORMATS`."""
    formats = "; ".join(f"{name}: {form.description}" for name, form in FORMATS.items())
    return click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH", callback=_parse_reports,
                        help="Also write the results as FORMAT to PATH (repeatable; '-': stdout, for json and "
                             f"junit). Formats: {formats}.")(fn)


def report_console(reports: list[Report]) -> Console:
    """Where tables and progress go: stderr when a report goes to stdout, so stdout holds that report alone."""
    if sum(report.path is None for report in reports) > 1:
        raise UsageError("only one report can go to stdout ('-')")
    return Console(stderr=any(report.path is None for report in reports))
