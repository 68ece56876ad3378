"""What ``--scheduler`` names: a cluster of N workers on this machine, or a scheduler's address."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.exceptions import UsageError

_LOCAL = re.compile(r"local:(\d+)")
_ADDRESS = re.compile(r"(?:(tcp|tls|ws|wss|inproc|ucx)://)?([^\s/]+:\d+)")
MAX_LOCAL_WORKERS = 1024


@dataclass(frozen=True)
class LocalWorkers:
    """``local:N``: a ``LocalCluster`` of ``count`` worker processes, started and ended by the run."""

    count: int


@dataclass(frozen=True)
class SchedulerAddress:
    """A running scheduler's address, with its protocol (``tcp://`` unless given)."""

    address: str


def parse_scheduler(text: str) -> LocalWorkers | SchedulerAddress:
    """``local:N``, ``tcp://HOST:PORT``, ``tls://HOST:PORT`` or a bare ``HOST:PORT``; ``UsageError`` otherwise."""
    text = text.strip()
    local = _LOCAL.fullmatch(text)
    if local:
        count = int(local.group(1))
        if not 1 <= count <= MAX_LOCAL_WORKERS:
            raise UsageError(f"--scheduler local:N takes 1 to {MAX_LOCAL_WORKERS} workers, not {count}")
        return LocalWorkers(count)
    address = _ADDRESS.fullmatch(text)
    if not address:
        raise UsageError(f"--scheduler {text!r} is not local:N or a scheduler address such as tcp://HOST:8786")
    return SchedulerAddress(f"{address.group(1) or 'tcp'}://{address.group(2)}")
