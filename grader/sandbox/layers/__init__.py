"""The sandbox layers around runners, one module each, applied in the order of :func:`stack`.

A layer (:class:`~grader.sandbox.layers.base.SandboxLayer`) probes the
machine once per slot, applies itself to every runner (or, where it is per
slot, to the zygote) and says what it did: the start-up "sandbox:" line is
what the layers said. Fork and spawn mode apply the same list; adding a
layer is one module and one line below.
"""

from __future__ import annotations

from grader.sandbox.layers.base import Limits, SandboxLayer, Setting
from grader.sandbox.layers.cgroup import Cgroups
from grader.sandbox.layers.filesystem import Filesystem
from grader.sandbox.layers.landlock import Landlock
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.namespaces import Namespaces
from grader.sandbox.layers.process import Process, die_with_parent
from grader.sandbox.layers.reaper import Reaper
from grader.sandbox.layers.rlimits import Rlimits
from grader.sandbox.layers.seccomp import Seccomp
from grader.sandbox.layers.user import User

__all__ = ["IS_LINUX", "Stack", "die_with_parent", "stack"]  # IS_LINUX, die_with_parent: for grader.bulk.pool

DISABLED_NOTE = "disabled (DLGRADE_DISABLE_LAYERS)"


def stack() -> list[SandboxLayer]:
    """Every layer, in the order they are set up, applied and shown."""
    return [Namespaces(), Filesystem(), Reaper(), Process(), Cgroups(), User(), Rlimits(), Landlock(), Seccomp()]


class Stack:
    """The layers of one slot and the setting they share."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.layers = stack()

    def setup(self) -> dict[str, tuple[bool, str]]:
        """Set every layer up (see :meth:`SandboxLayer.setup`); what each said, by name."""
        said = {}
        for layer in self.layers:
            off = layer.optional and layer.name in self.setting.disabled
            layer.in_force, detail = (False, DISABLED_NOTE) if off else layer.setup(self.setting)
            said[layer.name] = (layer.in_force, detail)
        return said

    def apply(self) -> None:
        """In a runner, before its exercise is known: every layer, in order."""
        for layer in self.layers:
            layer.apply(self.setting)

    def limit(self, memory: int, processes: int) -> None:
        """In a runner, once its exercise's limits are known."""
        limits = Limits(memory, processes)
        for layer in self.layers:
            layer.limit(self.setting, limits)
