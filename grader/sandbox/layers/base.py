"""What a sandbox layer is: one object that probes the machine, applies itself and says what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from grader.sandbox.layers.cgroup import Cgroup

Mode = Literal["fork", "spawn"]


@dataclass
class Setting:
    """Where the layers apply, filled in as a slot sets itself up; every runner it forks inherits it."""

    mode: Mode
    hide: list[Path]  # what no runner may read (check files, solutions, submissions)
    keep: list[Path]  # what runners need inside a hidden path (interpreter, environment, public engine)
    disabled: frozenset[str] = frozenset()  # optional layers turned off (benchmarks measure without them)
    slot_id: int = 0  # the slot's pid as the grader sees it
    user_ns: bool = False  # the slot entered a user namespace of its own (not root)
    pid_ns: bool = False  # the zygote is the init of its own PID namespace
    private: bool = False  # private /proc and scratch folders, hidden paths covered
    uid: int | None = None  # the slot's own unprivileged uid (root only)
    cgroup: Cgroup | None = None
    workdir: Path = Path(".")  # the runner's private working folder
    fds: list[int] = field(default_factory=list)  # descriptors the runner keeps (its sockets)


@dataclass(frozen=True)
class Limits:
    """One exercise's limits (from the course manifest)."""

    memory: int
    processes: int


class SandboxLayer:
    """One protection around runners.

    ``setup`` runs once per slot: in fork mode in the zygote, where a layer
    that is per slot (namespaces, the private filesystem, the cgroup) applies
    itself; in spawn mode in the judge and again in each spawned runner, as a
    probe only. Its answer, whether the layer is in force and how, is the
    layer's part of the start-up "sandbox:" line and is kept in
    :attr:`in_force`. ``apply`` then runs in each runner before its exercise
    is known and ``limit`` once the exercise's limits are; both raise when
    they cannot do what ``setup`` promised, and such a runner never runs.
    """

    name: ClassVar[str]
    optional: ClassVar[bool] = False  # an extra layer that ``Setting.disabled`` may turn off
    in_force: bool = False

    def setup(self, s: Setting) -> tuple[bool, str]:
        """Probe (and, per slot, apply) this layer; say whether it is in force and how."""
        raise NotImplementedError

    def apply(self, s: Setting) -> None:
        """In a runner, ahead of its exercise."""

    def limit(self, s: Setting, limits: Limits) -> None:
        """In a runner, once its exercise's limits are known."""
