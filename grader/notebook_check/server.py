"""The check server: one per notebook kernel, grading saved files with the public checks in a warm sandbox.

``python -I -m grader.notebook_check.server FOLDER`` (``-I``: the student's
folder cannot shadow a module). It finds the course above ``FOLDER``, opens a
:class:`~grader.grading.GradingSession` (the sandbox slot is forked before
any check file or submission is read) and says so, then answers requests
until its stdin closes, and closes the session. Every message is one JSON line:

- first, from the server: ``{"ready": true, "course": MANIFEST}`` or ``{"error": TEXT}`` (it then exits);
- request: ``{"path": FILE, "exercise": NAME or null, "hints": BOOL, "unsaved": BOOL}``
  (``null``: the exercises the file holds; ``unsaved``: say first that the kernel ran unsaved code);
- answer: ``{"html": FRAGMENT, "text": TEXT}`` (also when grading could not run: then it says why), or
  ``{"other_course": true}`` when FILE belongs to another course (the client starts a server for it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Serve the kernel on stdin and stdout; the exit status is 0, or a ``GraderError``'s at start."""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else writes to stdout (a library, a warning) goes to the log, never into the replies
    # Imported only now that stdout is moved aside: importing torch and the judge may print.
    from grader.notebook_check.answer import serve

    return serve(Path(argv[0]).resolve(), sys.stdin, replies)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
