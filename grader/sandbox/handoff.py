"""The exercise a runner is handed: its :class:`RunnerSpec` (and, for a spawned runner, its
:class:`SpawnSettings`), sent by the judge on the runner's own stream socket.

The whole start travels as one frame whose JSON is a blob, so its size is bounded only by the wire's
frame cap: not by a datagram's size (the zygote's control socket carries only the limits and the socket), and
not by the wire's cap on JSON text, which a megabyte of non-ASCII source would exceed once escaped.
Both ends are trusted code; the runner reads it before any student code runs.
"""

from __future__ import annotations

import json
import socket

from grader import wire
from grader.sandbox.spec import RunnerSpec, SpawnSettings


def send_spec(sock: socket.socket, spec: RunnerSpec, spawn: SpawnSettings | None = None) -> None:
    """Send ``spec`` (and a spawned runner's ``spawn`` settings) to the runner at the other end of ``sock``."""
    start = {"spec": spec.to_wire(), "spawn": None if spawn is None else spawn.to_wire()}
    wire.send_frame(sock, {"exercise": 0}, [json.dumps(start, ensure_ascii=False).encode("utf-8")])


def recv_spec(sock: socket.socket) -> tuple[RunnerSpec, SpawnSettings | None]:
    """In the runner: what the judge sent; raises ``WireError`` or ``ValueError`` for anything else."""
    doc, blobs = wire.recv_frame(sock)
    if doc != {"exercise": 0} or len(blobs) != 1:
        raise wire.WireError("expected the exercise")
    start = json.loads(blobs[0].decode("utf-8"))
    if not isinstance(start, dict) or set(start) != {"spec", "spawn"}:
        raise wire.WireError("expected the exercise")
    spawn = None if start["spawn"] is None else SpawnSettings.from_wire(start["spawn"])
    return RunnerSpec.from_wire(start["spec"]), spawn
