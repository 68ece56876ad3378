"""The cgroup layer: memory and process limits per slot through cgroups (v2 where present, else v1).

Root only: an ordinary user's cgroup is rarely delegated to that user, so
without root the rlimits layer stands in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.layers.base import SandboxLayer, Setting

ROOT = Path("/sys/fs/cgroup")


class Cgroups(SandboxLayer):
    name = "cgroup"

    def setup(self, s: Setting) -> tuple[bool, str]:
        if s.mode == "spawn":
            return False, "not used in spawn mode; rlimits instead"
        if os.geteuid() != 0:
            return False, "needs root (no delegated cgroup); rlimits instead"
        try:
            s.cgroup = Cgroup.create(f"slot-{s.slot_id}")
        except OSError as exc:
            return False, f"unavailable ({exc.strerror or exc}); rlimits instead"
        return True, ("v2" if s.cgroup.v2 else "v1") + " memory and process limits"

    def apply(self, s: Setting) -> None:
        if s.cgroup is not None:
            s.cgroup.join()


@dataclass
class Cgroup:
    """One slot's cgroup(s): ``memory`` and ``pids`` directories (v1) or one (v2)."""

    memory: Path | None
    pids: Path | None
    v2: bool

    @classmethod
    def create(cls, name: str) -> Cgroup:
        """Create ``dlgrade/<name>``; raise ``OSError`` when cgroups cannot be used."""
        if (ROOT / "cgroup.controllers").exists():
            parent = ROOT / "dlgrade"
            parent.mkdir(exist_ok=True)
            controllers = (ROOT / "cgroup.controllers").read_text().split()
            wanted = [c for c in ("memory", "pids") if c in controllers]
            (ROOT / "cgroup.subtree_control").write_text(" ".join("+" + c for c in wanted))
            (parent / "cgroup.subtree_control").write_text(" ".join("+" + c for c in wanted))
            path = parent / name
            path.mkdir(exist_ok=True)
            return cls(path if "memory" in wanted else None, path if "pids" in wanted else None, True)
        made: dict[str, Path | None] = {}
        for controller in ("memory", "pids"):
            base = ROOT / controller
            if not (base / "cgroup.procs").exists():
                made[controller] = None
                continue
            path = base / "dlgrade" / name
            path.mkdir(parents=True, exist_ok=True)
            made[controller] = path
        if not any(made.values()):
            raise OSError("no usable cgroup controller")
        return cls(made["memory"], made["pids"], False)

    def set_limits(self, memory_bytes: int, max_pids: int) -> None:
        """Apply the limits for the next runner."""
        if self.memory is not None:
            name = "memory.max" if self.v2 else "memory.limit_in_bytes"
            (self.memory / name).write_text(str(memory_bytes))
            if self.v2 and (self.memory / "memory.swap.max").exists():
                (self.memory / "memory.swap.max").write_text("0")
        if self.pids is not None:
            (self.pids / "pids.max").write_text(str(max_pids))

    def join(self) -> None:
        """Move the calling process into the cgroup(s).

        On v1 a single-threaded caller writes ``0`` to ``tasks``: moving just
        the current thread skips the kernel's global thread-group lock, whose
        RCU grace period costs several milliseconds and stalls every fork on
        the machine meanwhile.
        """
        single = not self.v2 and len(os.listdir("/proc/self/task")) == 1
        for path in {p for p in (self.memory, self.pids) if p is not None}:
            (path / ("tasks" if single else "cgroup.procs")).write_text("0" if single else str(os.getpid()))

    def usage(self) -> int:
        """Memory now charged to the cgroup, in bytes (0 when unknown)."""
        if self.memory is None:
            return 0
        try:
            return int((self.memory / ("memory.current" if self.v2 else "memory.usage_in_bytes")).read_text())
        except (OSError, ValueError):
            return 0

    def limit(self) -> int:
        """The memory limit in force, in bytes (a huge number when unlimited or unknown)."""
        if self.memory is None:
            return 2**62
        try:
            text = (self.memory / ("memory.max" if self.v2 else "memory.limit_in_bytes")).read_text().strip()
            return 2**62 if text == "max" else int(text)
        except (OSError, ValueError):
            return 2**62

    def oom_kills(self) -> int:
        """How many processes the memory limit has killed so far."""
        if self.memory is None:
            return 0
        name = "memory.events" if self.v2 else "memory.oom_control"
        try:
            for line in (self.memory / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def remove(self) -> None:
        """Remove the (empty) cgroup directories."""
        for path in {p for p in (self.memory, self.pids) if p is not None}:
            try:
                path.rmdir()
            except OSError:
                pass
