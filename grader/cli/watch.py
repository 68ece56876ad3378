"""``dlgrade check --watch``: the terminal around :func:`grader.watch.watch`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from grader.course import find_manifest, load_course
from grader.exceptions import UsageError
from grader.grading import GradingSession, Isolation
from grader.report.terminal import render, render_layers, shown
from grader.report.watch_summary import render_summary
from grader.sandbox.spec import EngineName
from grader.watch import Checked, Summary, watch


def watch_and_show(path: Path, exercises: list[str] | None, course_path: Path | None, isolation: Isolation,
                   verbose: bool, hints: bool, engine: EngineName) -> None:
    """Watch ``path`` until Ctrl-C, redrawing the summary and the newest verdict's details after each check.

    Ctrl-C is how a watch ends, not a failure: the session is closed (no runner
    is left), "stopped" is printed, and the exit status is 0 (so a script or
    ``make`` target that runs the watch does not report an error).
    """
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    course = load_course(course_path or find_manifest())
    console = Console()
    summary = Summary(path.resolve(), course.names)
    given = path if path.is_dir() else path.parent  # saved files are named as the user named their folder

    def started(target: Path) -> None:
        name = given / target.relative_to(summary.folder) if target != path.resolve() else path
        console.print(shown(f"checking {name}…", style="dim", newlines=False), soft_wrap=True)

    def show(checked: Checked) -> None:
        summary.add(checked)
        console.clear()
        render_summary(summary, path, console)
        render(checked.result, console, verbose, hints=hints)

    try:
        with GradingSession(course, isolation, [path]) as session:
            render_layers(session.layers, console)
            watch(session, path, show, started, exercises=exercises, engine=engine)
    except KeyboardInterrupt:
        pass
    console.print("stopped")
