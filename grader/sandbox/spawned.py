"""Entry point of a spawned runner: ``python -m grader.sandbox.spawned PORT MEMORY``.

Reads its one-time token from stdin, connects to the judge over loopback,
receives the module to load, applies the limits this platform has, and
serves like a forked runner.
"""

from __future__ import annotations

import os
import socket
import sys

import torch

from grader import wire
from grader.sandbox import layers
from grader.sandbox.runner import prepare, serve

FILE_SIZE_LIMIT = 64 * 2**20


def _limit(memory: int) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with open("/proc/self/status") as fh:
            data = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmData:")), 0)
        resource.setrlimit(resource.RLIMIT_DATA, (data + memory, data + memory))


def main() -> None:
    """Connect, load, serve."""
    port, memory = int(sys.argv[1]), int(sys.argv[2])
    token = sys.stdin.readline().strip()
    torch.set_num_threads(1)
    if layers.IS_LINUX:  # orphans of the submission stay below this process, where the judge's kill finds them
        layers.prctl(layers.PR_SET_CHILD_SUBREAPER, 1)
    sock = socket.create_connection(("127.0.0.1", port))
    wire.send_frame(sock, {"token": token}, [])
    doc, _ = wire.recv_frame(sock)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _limit(memory)
    try:
        serve(sock, prepare(), doc["module"], doc["source"], doc.get("cells"), doc.get("cell_limit", 10.0),
              engine=doc.get("engine", "fast"))
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
