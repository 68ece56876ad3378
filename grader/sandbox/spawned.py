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
from grader.sandbox.exit_codes import SETUP_FAILED
from grader.sandbox.handoff import recv_spec
from grader.sandbox.layers import Stack
from grader.sandbox.layers.base import Setting
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.runner import ready_process, serve


def main() -> None:
    """Connect, isolate, load, serve."""
    port = int(sys.argv[1])
    token = sys.stdin.readline().strip()
    torch.set_num_threads(1)
    sock = socket.create_connection(("127.0.0.1", port))
    wire.send_frame(sock, {"token": token}, [])
    try:
        spec, spawn = recv_spec(sock)
        if spawn is None:
            raise wire.WireError("a spawned runner needs its spawn settings")
        sandbox = Stack(Setting("spawn", [Path(p) for p in spawn.hide], [Path(p) for p in spawn.keep], spawn.disabled,
                                workdir=Path.cwd(), fds=[sock.fileno()]))
        said = sandbox.setup()
        if any(not said[name][0] for name in spawn.in_force):
            os._exit(SETUP_FAILED)  # the judge promised a layer this process cannot have
        sandbox.apply()
        sandbox.limit(spec.limits.memory_bytes, spec.limits.processes)
    except BaseException:  # noqa: BLE001 - a runner that cannot be isolated must not run
        os._exit(SETUP_FAILED)
    if IS_LINUX:
        keeper.split(sock)  # from here on: the runner, below a keeper that ends what it leaves behind
    try:
        serve(sock, ready_process(), spec)
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
