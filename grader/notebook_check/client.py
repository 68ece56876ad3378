"""The kernel's side of ``check``: find the saved file, ask the check server, show its answer.

Only the standard library and IPython's display: the grader (torch, pytest,
the checks) runs in the check server, a separate process started once per
kernel (``python -I -m grader.notebook_check.server FOLDER``), so the
student's kernel can neither see nor patch it, and nothing the kernel holds
reaches the verdict. The server reads JSON lines on its stdin and answers
one JSON line each on its stdout (see :mod:`grader.notebook_check.server`);
it ends when the kernel does (its stdin closes). A server that died is
replaced at the next check.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from IPython.core.getipython import get_ipython
from IPython.display import display

from grader.notebook_check.locate import NotFound, find_target, session_notebook
from grader.notebook_check.unsaved import has_unsaved_changes

# Loaded where a notebook is being graded (the runner; the --kernel engine's kernel): a check() cell of the
# graded notebook does nothing there, rather than start a check server inside the sandbox.
GRADING_MODULES = ("grader.sandbox.runner", "grader.sandbox.kernel_agent")
CLOSE_WAIT = 10.0  # seconds for a server to close its sandbox before it is killed
LOG_TAIL = 2000  # characters of a dead server's stderr shown


class ServerStopped(Exception):
    """The check server ended or could not start; the message says why."""


class Server:
    """One check server process and its pipes; started without waiting, ready at the first question."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._log = tempfile.TemporaryFile()
        # Its own session: an interrupt of the kernel (SIGINT to the kernel's process group) must not reach it.
        self.proc = subprocess.Popen([sys.executable, "-I", "-m", "grader.notebook_check.server", str(folder)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, cwd=folder,
                                     encoding="utf-8", start_new_session=True)
        self.ready = False

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer (Ctrl-C stops the server; the next check starts another)."""
        try:
            if not self.ready:
                hello = self._read()
                if "error" in hello:
                    raise ServerStopped(str(hello["error"]))
                self.ready = True
            stdin = self._pipe(self.proc.stdin)
            stdin.write(json.dumps(request) + "\n")
            stdin.flush()
            return self._read()
        except (BrokenPipeError, ValueError):
            raise ServerStopped(self._why()) from None
        except KeyboardInterrupt:
            self.kill()
            raise

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        """Close its stdin (it then closes its sandbox and exits); kill it if it does not."""
        try:
            self._pipe(self.proc.stdin).close()
            self.proc.wait(CLOSE_WAIT)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()

    def kill(self) -> None:
        if self.alive():
            if hasattr(os, "killpg"):
                os.killpg(self.proc.pid, signal.SIGKILL)
            else:
                self.proc.kill()
        self.proc.wait()

    def _read(self) -> dict[str, Any]:
        line = self._pipe(self.proc.stdout).readline()
        if not line:
            raise ServerStopped(self._why())
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _why(self) -> str:
        try:
            self.proc.wait(CLOSE_WAIT)
        except subprocess.TimeoutExpired:  # alive, but it broke the protocol
            self.kill()
        self._log.seek(0)
        tail = self._log.read().decode("utf-8", "replace")[-LOG_TAIL:].strip()
        return f"the check server stopped (exit status {self.proc.returncode})" + (f":\n{tail}" if tail else "")

    @staticmethod
    def _pipe(stream: IO[str] | None) -> IO[str]:
        assert stream is not None  # Popen was given PIPE
        return stream


_server: Server | None = None


def warm_up() -> None:
    """Start the check server for the kernel's notebook folder now, so the first check finds it ready."""
    global _server
    if _being_graded():
        return
    shell = get_ipython()
    notebook = session_notebook(shell.user_ns if shell is not None else {})
    if _server is None or not _server.alive():
        _server = Server(notebook.parent if notebook is not None else Path.cwd())


def _ask(request: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The server's answer. A server that died since its last answer, was started for another folder and
    failed, or serves another course, is replaced once by a new one for ``folder``, whose failure is reported."""
    global _server
    for _ in range(2):
        if _server is None or not _server.alive():
            _server = Server(folder)
        retry = _server.ready or _server.folder != folder
        try:
            reply = _server.ask(request)
        except ServerStopped:
            _server = None
            if retry:
                continue
            raise
        if not reply.get("other_course"):
            return reply
        _server.close()
        _server = None
    raise ServerStopped("the check server could not find this file's course")


def _being_graded() -> bool:
    return any(name in sys.modules for name in GRADING_MODULES)


def run(what: str, notebook: str | None, hints: bool) -> None:
    """Grade the saved file of exercise (or path) ``what`` with the public checks and show the result."""
    if _being_graded():
        return
    shell = get_ipython()
    try:
        target = find_target(what, notebook, shell.user_ns if shell is not None else {})
        history = shell.history_manager if shell is not None else None
        unsaved = target.own and history is not None and has_unsaved_changes(history.input_hist_raw, target.path)
        reply = _ask({"path": str(target.path), "exercise": target.exercise, "hints": hints, "unsaved": unsaved},
                     target.path.parent)
    except (NotFound, ServerStopped) as exc:
        reply = {"text": f"dlgrade: {exc}"}
    if shell is None:
        print(reply["text"])
    else:
        display({"text/plain": reply["text"], **({"text/html": reply["html"]} if "html" in reply else {})}, raw=True)
