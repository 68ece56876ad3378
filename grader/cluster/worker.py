"""The worker side: a plugin that sets up the course and a warm judge once per worker, and the tasks.

:class:`CoursePlugin` travels to every worker, present and future, when the instructor's client registers
it. Its ``setup`` verifies the course bundle's sha256, unpacks it into a private folder and starts the judge
(:mod:`grader.cluster.judge`, a fresh interpreter that forks its sandbox template before it reads anything
secret). The tasks, :func:`grade_submission` and :func:`worker_layers`, run in a worker thread; each first
checks that this worker holds the bundle the run needs. A judge that dies mid-student fails that task with
:class:`JudgeLost` (Dask retries it once, elsewhere if it can) and is replaced for the next task.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from grader.cluster.bundle import CourseBundle, unpack
from grader.exceptions import ClusterError, CourseError

PLUGIN = "dlgrade-course"  # one course per worker: registering another course replaces it
CLOSE_WAIT = 5.0  # seconds a judge told to stop may take to end its pytest session


class BundleMismatch(ClusterError):
    """A task for another course (or none) reached this worker."""


class JudgeLost(Exception):
    """The worker's judge process ended while grading or setting up."""


class Judge:
    """The worker's handle on its judge process; one student at a time."""

    def __init__(self, bundle: Path, hide: list[Path]) -> None:
        mine, theirs = socket.socketpair()
        with theirs:
            args = [sys.executable, "-m", "grader.cluster.judge", "--fd", str(theirs.fileno()), str(bundle)]
            for path in hide:
                args += ["--hide", str(path)]
            self.process = subprocess.Popen(args, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        self.conn = Connection(mine.detach())
        self.lock = threading.Lock()
        self.dead = False
        self._layers: list[dict[str, Any]] | None = None
        self._error: str | None = None

    def layers(self) -> list[dict[str, Any]]:
        """The protections in force for this judge's runners, as plain data (waits until it is set up)."""
        with self.lock:
            return self._ready()

    def grade(self, data: bytes, exercises: list[str]) -> str:
        """Grade one encoded submission; its result as a JSON document."""
        with self.lock:
            self._ready()
            reply = self._ask([json.dumps(exercises).encode(), data], "grading this submission")
            if "error" in reply:
                raise CourseError(str(reply["error"]))
            return json.dumps(reply["result"])

    def close(self) -> None:
        """Tell the judge to stop, then make sure it has."""
        try:
            self.conn.send_bytes(b"")
        except OSError:
            pass
        try:
            self.process.wait(CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()

    def _ready(self) -> list[dict[str, Any]]:
        if self._layers is None and self._error is None:
            reply = self._ask([], "setting up")
            if "error" in reply:
                self._error = str(reply["error"])
            else:
                self._layers = list(reply["ready"])
        if self._error is not None:
            raise ClusterError(f"the judge on Dask worker {_worker_name()} could not start: {self._error}")
        assert self._layers is not None
        return self._layers

    def _ask(self, frames: list[bytes], doing: str) -> dict[str, Any]:
        try:
            for frame in frames:
                self.conn.send_bytes(frame)
            reply: dict[str, Any] = json.loads(self.conn.recv_bytes())
            return reply
        except (EOFError, OSError):
            self.dead = True
            code = self.process.poll()
            raise JudgeLost(f"the judge process on Dask worker {_worker_name()} ended while {doing}"
                            + (f" (exit status {code})" if code is not None else "")) from None


class CoursePlugin(WorkerPlugin):
    """Sets up the course bundle and a warm judge once per worker."""

    name = PLUGIN

    def __init__(self, bundle: CourseBundle) -> None:
        self.bundle = bundle
        self.folder: Path | None = None
        self.hide: list[Path] = []
        self.problem: str | None = None
        self._judge: Judge | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[type[CoursePlugin], tuple[CourseBundle]]:
        return CoursePlugin, (self.bundle,)  # what travels: the bundle, never a worker's judge or lock

    def setup(self, worker: Any) -> None:
        # Private (mode 0700), in the worker's own folder: Dask removes it when the worker dies, and no runner sees
        # that folder (Dask spills students' data there).
        self.hide = [Path(worker.local_directory)]
        self.folder = Path(tempfile.mkdtemp(prefix="dlgrade-course-", dir=self.hide[0]))
        try:
            unpack(self.bundle.data, self.bundle.sha256, self.folder)
        except ClusterError as exc:
            self.problem = str(exc)
            raise
        self._judge = Judge(self.folder, self.hide)

    def teardown(self, worker: Any) -> None:
        with self._lock:
            if self._judge is not None:
                self._judge.close()
                self._judge = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def judge(self) -> Judge:
        """The live judge, a new one if the last died."""
        with self._lock:
            if self.problem is not None or self.folder is None:
                raise ClusterError(f"Dask worker {_worker_name()} could not set up the course: {self.problem}")
            if self._judge is None or self._judge.dead:
                if self._judge is not None:
                    self._judge.close()
                self._judge = Judge(self.folder, self.hide)
            return self._judge


def grade_submission(data: bytes, exercises: list[str], bundle: str) -> str:
    """The task: grade one encoded submission on ``exercises`` of the course whose bundle hash is ``bundle``."""
    return _plugin(bundle).judge().grade(data, exercises)


def submission_bytes(data: bytes) -> bytes:
    """The task that holds a student's encoded submission on a worker (recomputable from the scheduler's copy)."""
    return data


def worker_layers(bundle: str) -> list[dict[str, Any]]:
    """The task that waits for a worker's judge and names its sandbox's protections."""
    return _plugin(bundle).judge().layers()


def _plugin(bundle: str) -> CoursePlugin:
    """This worker's course plugin, if it holds the bundle ``bundle``; :class:`BundleMismatch` otherwise."""
    plugin = get_worker().plugins.get(PLUGIN)
    if not isinstance(plugin, CoursePlugin):
        raise BundleMismatch(f"Dask worker {_worker_name()} holds no dlgrade course bundle; the run needs "
                             f"{bundle[:12]}…")
    if plugin.bundle.sha256 != bundle:
        raise BundleMismatch(f"Dask worker {_worker_name()} holds course bundle {plugin.bundle.sha256[:12]}…, the "
                             f"run needs {bundle[:12]}…: another grading run with a different course registered "
                             "its own on this cluster; give each run its own workers")
    return plugin


def _worker_name() -> str:
    try:
        return str(get_worker().address)
    except ValueError:
        return "(not a worker)"
