"""The exercise a runner is handed: module, source, cells, helpers and the rest, sent by the judge on the
runner's own stream socket.

The whole description travels as one frame whose JSON is a blob, so its size is bounded only by the wire's
frame cap: not by a datagram's size (the zygote's control socket carries only the limits and the socket), and
not by the wire's cap on JSON text, which a megabyte of non-ASCII source would exceed once escaped.
Both ends are trusted code; the runner reads it before any student code runs.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from grader import wire


def send_exercise(sock: socket.socket, exercise: dict[str, Any]) -> None:
    """Send ``exercise`` (JSON data) to the runner at the other end of ``sock``."""
    wire.send_frame(sock, {"exercise": 0}, [json.dumps(exercise, ensure_ascii=False).encode("utf-8")])


def recv_exercise(sock: socket.socket) -> dict[str, Any]:
    """In the runner: the exercise the judge sent; raises ``WireError`` or ``ValueError`` for anything else."""
    doc, blobs = wire.recv_frame(sock)
    if doc != {"exercise": 0} or len(blobs) != 1:
        raise wire.WireError("expected the exercise")
    exercise = json.loads(blobs[0].decode("utf-8"))
    if not isinstance(exercise, dict):
        raise wire.WireError("expected the exercise")
    return exercise
