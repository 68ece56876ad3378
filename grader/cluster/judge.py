"""A cluster worker's judge: a process of its own (``python -m grader.cluster.judge``), fed over a socket.

A fresh interpreter, so it inherits no memory from the Dask worker (which holds the course bundle and
students' bytes). It forks the sandbox template *first*, before it reads the bundle's manifest or any check
file, then opens its slot and runs one pytest session for its whole life, grading one student per request.
Messages are :class:`multiprocessing.connection.Connection` frames between trusted peers: first
``{"ready": [layer, ...]}`` or ``{"error": ...}``; then, for each request (a JSON list of exercise names,
then the encoded submission), ``{"result": document}``. An empty frame, or the worker going away, ends it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from grader.cluster.submission_codec import decode
from grader.course import MANIFEST, load_course
from grader.exceptions import GraderError
from grader.grading import open_slots
from grader.judge.over_pipe import answer
from grader.judge.plugin import Job
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.process import die_with_parent
from grader.sandbox.template import prefork

JUDGE_NAME = "dlgrade-cjudge"  # what ps shows for a cluster judge process


def serve(bundle: Path, hide: list[Path], conn: Connection) -> None:
    """Set up, then grade what arrives over ``conn`` until told to stop."""
    prefork()  # before anything secret is read: every runner descends from this pristine template
    try:
        course = load_course(bundle / MANIFEST)
        slot = open_slots(course, "auto", hide, 1)[0]
    except GraderError as exc:
        conn.send_bytes(json.dumps({"error": str(exc)}).encode())
        return
    try:
        try:
            layers = slot.layers
        except (OSError, RuntimeError) as exc:
            conn.send_bytes(json.dumps({"error": f"could not start the sandbox: {exc}"}).encode())
            return
        conn.send_bytes(json.dumps({"ready": [dataclasses.asdict(layer) for layer in layers]}).encode())

        def jobs() -> Iterator[Job]:
            while True:
                try:
                    names = conn.recv_bytes()
                    if not names:
                        return
                    data = conn.recv_bytes()
                except (EOFError, OSError):  # the worker went away
                    return
                yield Job(decode(data), tuple(course.exercise(n) for n in json.loads(names)))

        answer(conn, course, course.exercises, jobs(), slot)
    finally:
        slot.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m grader.cluster.judge")
    parser.add_argument("--fd", type=int, required=True, help="the socket to the worker")
    parser.add_argument("--hide", type=Path, action="append", default=[], help="another path no runner may see")
    parser.add_argument("bundle", type=Path, help="the unpacked course bundle")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker's to handle
    if IS_LINUX:
        die_with_parent()
        Path("/proc/self/comm").write_text(JUDGE_NAME)
    conn = Connection(args.fd)
    with contextlib.suppress(EOFError, OSError):  # the worker went away: nothing is left to answer
        serve(args.bundle, args.hide, conn)


if __name__ == "__main__":
    main()
