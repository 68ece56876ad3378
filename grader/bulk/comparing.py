"""The class's code compared (:mod:`grader.similarity`) in a forked process while the class is graded.

The comparison reads only the class folder, so it runs beside the judges
instead of after them; its result comes back over a pipe when the exports
need it (a pickle between two trusted processes of the grader, never from or
to a runner). If the comparison fails, the report goes without its section:
grades never wait on it.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from grader.course import Course
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.process import die_with_parent
from grader.similarity.find import Similarity, find_similar


class Comparison:
    """``find_similar(course, source)`` under way in a child process."""

    def __init__(self, course: Course, source: Path) -> None:
        ctx = mp.get_context("fork")
        self._conn, theirs = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_compare, args=(course, source, theirs), daemon=True)
        self._process.start()
        theirs.close()  # the child holds the only writer: its end reads as end of file here

    def result(self) -> Similarity | None:
        """The comparison, once done; ``None`` if it failed (the report then has no similar-code section)."""
        try:
            found: Similarity | None = self._conn.recv()
        except (EOFError, OSError):
            found = None
        self.close()
        return found

    def close(self) -> None:
        """Stop the comparison if it is still running."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()


def _compare(course: Course, source: Path, conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle
    if IS_LINUX:
        die_with_parent()
    try:
        found = find_similar(course, source)
    except Exception as exc:  # noqa: BLE001 - a failed comparison must not stop the grading
        print(f"dlgrade: the similar-code comparison failed: {exc!r}", file=sys.stderr)
        return
    conn.send(found)
