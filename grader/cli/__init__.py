"""Command line: a thin shell over the typed API (:mod:`grader.grading`, :mod:`grader.bulk`, :mod:`grader.authoring`).

Exit status: 0 whenever grading completed, whatever the score; otherwise the
``exit_code`` of the :class:`~grader.exceptions.GraderError` that stopped it,
mapped to a process exit in :func:`main` and nowhere else.
"""

from __future__ import annotations

import sys

import click

import grader.cli.lms  # noqa: F401 - registers export and canvas
from grader.cli import authoring, grading, platforms, policy, similarity  # noqa: F401 - registers the commands
from grader.cli.group import cli
from grader.exceptions import GraderError, Interrupted


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
    except click.exceptions.Abort:  # Ctrl-C outside what a command reports itself
        click.secho("dlgrade: interrupted", err=True, fg="red")
        sys.exit(Interrupted.exit_code)
