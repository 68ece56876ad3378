"""Run grading jobs on several judges at once, each with its own sandbox slot.

With one slot the judge runs in this process. With more, each judge is a
forked process with a pipe of its own: this process hands it one job number
at a time and gets each result back as JSON (trusted to trusted: never a
pickle of student data). Judges start at once, each waiting for its own slot
to finish setting up, and ask for their first job when ready, so students go
to whichever judge is ready first. Knowing which job each judge holds, this
process can name the student a dead judge was grading. When this process stops early (Ctrl-C, a
full disk) it kills the judges before their slots close, so that none grades
on against a closed sandbox; Ctrl-C itself is this process's to handle, so
judges ignore it.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

from grader.course import Course, Exercise
from grader.exceptions import CourseError, SandboxError
from grader.grading import Isolation, open_slots
from grader.judge.over_pipe import answer
from grader.judge.plugin import Job
from grader.judge.session import run_checks
from grader.result_codec import from_document
from grader.results import SubmissionResult
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.process import die_with_parent
from grader.sandbox.slot import Layer, Slot

JUDGE_NAME = "dlgrade-judge"  # what ps shows for a judge process
CLOSE_WAIT = 5.0  # seconds a judge told to stop may take to end its pytest session


class Graders(Protocol):
    """Where a class run's grading happens: judges on this machine (:class:`LocalGraders`) or on a cluster."""

    def layers(self) -> list[Layer]:
        """The protections in force for the runners (waits until the first place to grade is ready)."""
        ...

    def grade(self, jobs: list[Job], on_result: Callable[[SubmissionResult], None]) -> list[str]:
        """Grade ``jobs``, calling ``on_result`` in this process as each is done; return the ids left ungraded."""
        ...

    def close(self) -> None:
        """Stop everything started for grading."""
        ...


class LocalGraders:
    """``count`` judges on this machine, each with a sandbox slot; the slots start setting up side by side now.

    Open them before anything secret is read: no runner's ancestor may hold a check or a submission (the
    slots fork from the template, which is forked first).
    """

    def __init__(self, course: Course, isolation: Isolation, hide: list[Path], count: int,
                 collapse: bool = False) -> None:
        self.course = course
        self.slots = open_slots(course, isolation, hide, max(count, 1), collapse)

    def layers(self) -> list[Layer]:
        try:
            return self.slots[0].layers
        except (OSError, RuntimeError) as exc:
            raise SandboxError(f"could not start the sandbox: {exc}") from None

    def grade(self, jobs: list[Job], on_result: Callable[[SubmissionResult], None]) -> list[str]:
        return run_pool(self.course, self.course.exercises, jobs, self.slots, on_result)

    def close(self) -> None:
        for slot in self.slots:
            slot.close()


def run_pool(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slots: list[Slot],
             on_result: Callable[[SubmissionResult], None]) -> list[str]:
    """Grade ``jobs``; return the ids of submissions whose judge died before answering.

    An exception from ``on_result`` (the gradebook's disk is full) stops the
    run: no further job starts, and it is raised here.
    """
    if not jobs:
        return []
    if len(slots) == 1:
        return _in_process(course, exercises, jobs, slots[0], on_result)
    return _forked(course, exercises, jobs, slots, on_result)


def _in_process(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slot: Slot,
                on_result: Callable[[SubmissionResult], None]) -> list[str]:
    pending = {j.submission.id for j in jobs}
    stopped: list[Exception] = []

    def record(result: SubmissionResult) -> None:
        pending.discard(result.submission)
        try:
            on_result(result)
        except Exception as exc:  # noqa: BLE001 - raised below, once the check session has ended
            stopped.append(exc)

    def remaining() -> Iterator[Job]:
        for job in jobs:
            if stopped:
                return
            yield job

    run_checks(course, exercises, remaining(), slot, True, record)
    if stopped:
        raise stopped[0]
    return sorted(pending)


@dataclass
class _Judge:
    process: BaseProcess
    conn: Connection
    job: int | None = None  # the job it is grading
    done: bool = False  # told to stop, or dead


def _forked(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slots: list[Slot],
            on_result: Callable[[SubmissionResult], None]) -> list[str]:
    ctx = mp.get_context("fork")
    todo = deque(range(len(jobs)))
    failed: list[str] = []
    judges: list[_Judge] = []
    finished = False
    try:
        for slot in slots:
            mine, theirs = ctx.Pipe()
            process = ctx.Process(target=_judge, args=(course, exercises, jobs, slot, theirs), daemon=True)
            process.start()
            theirs.close()  # the judge holds the only copy: its death reads as end of file here
            judges.append(_Judge(process, mine))
        while live := [j for j in judges if j.job is not None or (todo and not j.done)]:
            for ready in wait([j.conn for j in live]):
                judge = next(j for j in live if j.conn is ready)
                try:
                    message = json.loads(judge.conn.recv_bytes())
                except (EOFError, OSError):  # the judge died (before answering, if it held a job)
                    if judge.job is not None:
                        failed.append(jobs[judge.job].submission.id)
                    judge.job, judge.done = None, True
                    continue
                if "error" in message:
                    raise CourseError(message["error"])
                _hand_out(judge, todo)  # it goes on while this process records the result
                if "result" in message:
                    on_result(from_document(message["result"]))
        failed += [jobs[i].submission.id for i in todo]  # left over when every judge died
        for judge in judges:
            if not judge.done:  # still setting up when the last job was handed out: it stops when it asks
                _hand_out(judge, todo)
        finished = True
    finally:
        for judge in judges:
            if not finished:
                judge.process.kill()
            judge.process.join(CLOSE_WAIT)
            if judge.process.is_alive():
                judge.process.kill()
                judge.process.join()
            judge.conn.close()
    return sorted(failed)


def _hand_out(judge: _Judge, todo: deque[int]) -> None:
    """Send ``judge`` its next job, or tell it to stop when none is left."""
    index = todo.popleft() if todo else None
    try:
        judge.conn.send_bytes(b"" if index is None else str(index).encode())
    except OSError:  # it died since its last answer: its next job waits for another judge
        if index is not None:
            todo.appendleft(index)
        index = None
    judge.job, judge.done = index, index is None


def _judge(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slot: Slot, conn: Connection) -> None:
    """A judge process: grade the jobs handed out over ``conn`` until told to stop or the grading run is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if IS_LINUX:
        die_with_parent()
        Path("/proc/self/comm").write_text(JUDGE_NAME)

    def pull() -> Iterator[Job]:
        try:
            slot.layers  # noqa: B018 - waits until this judge's slot is set up
            conn.send_bytes(b'{"ready": true}')  # the first job goes to whichever judge is ready first
        except (OSError, RuntimeError):
            return
        while True:
            try:
                data = conn.recv_bytes()
            except (EOFError, OSError):
                return
            if not data:
                return
            yield jobs[int(data)]

    answer(conn, course, exercises, pull(), slot)
