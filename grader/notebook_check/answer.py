"""The check server's work: a warm :class:`GradingSession`, and each request graded and rendered.

See :mod:`grader.notebook_check.server` for the protocol.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from rich.console import Console

from grader.course import find_manifest, load_course
from grader.exceptions import GraderError
from grader.grading import GradingSession
from grader.report import notebook_html
from grader.report.terminal import render
from grader.results import SubmissionResult


def _send(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def serve(folder: Path, requests: Iterable[str], replies: IO[str]) -> int:
    """Open the session for ``folder``'s course, then answer every request line; 0, or the start error's status."""
    try:
        manifest = find_manifest(folder).resolve()
        session = GradingSession(load_course(manifest), "auto", [folder])
    except GraderError as exc:
        _send(replies, {"error": str(exc)})
        return exc.exit_code
    with session:
        _send(replies, {"ready": True, "course": str(manifest)})
        for line in requests:
            try:
                _send(replies, answer(session, manifest, json.loads(line)))
            except BrokenPipeError:  # the kernel is gone
                break
    return 0


def answer(session: GradingSession, manifest: Path, request: dict[str, Any]) -> dict[str, Any]:
    """Grade one saved file as ``dlgrade check`` would (public checks only) and render the result."""
    path, unsaved, hints = Path(request["path"]), bool(request.get("unsaved")), bool(request.get("hints"))
    exercise = request.get("exercise")
    try:
        if find_manifest(path.parent).resolve() != manifest:
            return {"other_course": True}
        (result,) = session.grade([path], [exercise] if exercise else None, hidden=False)
    except GraderError as exc:
        return {"html": notebook_html.render_error(str(exc), unsaved), "text": f"dlgrade: {exc}"}
    return {"html": notebook_html.render(result, session.course, hints, unsaved),
            "text": _text(result, hints, unsaved)}


def _text(result: SubmissionResult, hints: bool, unsaved: bool) -> str:
    """The terminal's view of the result, for a frontend that shows no HTML."""
    out = io.StringIO()
    render(result, Console(file=out, width=100, color_system=None, force_terminal=False), verbose=True, hints=hints)
    return "\n".join([*([notebook_html.UNSAVED] if unsaved else []), out.getvalue().rstrip(), notebook_html.HIDDEN])
