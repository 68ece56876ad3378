"""Entry point of a spawned runner: ``python -m grader.sandbox.spawned PORT``.

Reads its one-time token from stdin, connects to the judge over loopback,
receives the module to load with its limits, sets up and applies the same
layers as a forked runner (those this platform has), and serves like one.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import torch

from grader import wire
from grader.sandbox import keeper
from grader.sandbox.handoff import recv_exercise
from grader.sandbox.layers import Stack
from grader.sandbox.layers.base import Setting
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.runner import prepare, serve
from grader.sandbox.spare import SETUP_FAILED


def main() -> None:
    """Connect, isolate, load, serve."""
    port = int(sys.argv[1])
    token = sys.stdin.readline().strip()
    torch.set_num_threads(1)
    sock = socket.create_connection(("127.0.0.1", port))
    wire.send_frame(sock, {"token": token}, [])
    doc = recv_exercise(sock)
    try:
        sandbox = Stack(Setting("spawn", [Path(p) for p in doc["hide"]], [Path(p) for p in doc["keep"]],
                                frozenset(doc["disabled"]), workdir=Path.cwd(), fds=[sock.fileno()]))
        said = sandbox.setup()
        if any(not said[name][0] for name in doc["in_force"]):
            os._exit(SETUP_FAILED)  # the judge promised a layer this process cannot have
        sandbox.apply()
        sandbox.limit(int(doc["memory"]), int(doc["processes"]))
    except BaseException:  # noqa: BLE001 - a runner that cannot be isolated must not run
        os._exit(SETUP_FAILED)
    if IS_LINUX:
        keeper.split(sock)  # from here on: the runner, below a keeper that ends what it leaves behind
    try:
        serve(sock, prepare(), doc["module"], doc["source"], doc.get("cells"), doc.get("cell_limit", 10.0),
              engine=doc.get("engine", "fast"), helpers=doc.get("helpers"), forbidden=doc.get("forbidden", ()))
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
