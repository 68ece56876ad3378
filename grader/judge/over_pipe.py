"""A judge process's answers to whoever hands it students over a pipe: each result as a JSON document.

Used by ``grade-all``'s forked judges (:mod:`grader.bulk.pool`) and by a Dask
worker's judge (:mod:`grader.cluster.judge`): how students arrive differs,
what goes back does not. Frames are JSON between trusted processes:
``{"result": document}`` per student, ``{"error": message}`` when the check
files do not load. A peer that went away is noticed by the next read of a
request, which ends the jobs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from multiprocessing.connection import Connection

from grader.course import Course, Exercise
from grader.exceptions import CourseError
from grader.judge.plugin import Job
from grader.judge.session import run_checks
from grader.result_codec import to_document
from grader.results import SubmissionResult
from grader.sandbox.slot import Slot


def answer(conn: Connection, course: Course, exercises: tuple[Exercise, ...], jobs: Iterable[Job],
           slot: Slot) -> None:
    """Grade ``jobs`` (read from ``conn`` by the caller) in one warm pytest session; send back what each gets."""

    def send(result: SubmissionResult) -> None:
        with contextlib.suppress(OSError):  # the peer is gone: the next read of a request says so
            conn.send_bytes(json.dumps({"result": to_document(result, exact=True)}).encode())

    try:
        run_checks(course, exercises, jobs, slot, True, send)
    except CourseError as exc:  # broken check files: the peer stops the run with this message
        with contextlib.suppress(OSError):
            conn.send_bytes(json.dumps({"error": str(exc)}).encode())
