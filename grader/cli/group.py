"""The ``dlgrade`` command group and the options its commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


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
