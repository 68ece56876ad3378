"""The slot parent ("zygote"): a warm process that keeps a runner ready for the next exercise.

It is forked from the grader before any check file or solution is loaded, so
its memory holds torch but no secret. It sets the sandbox layers up once
(:mod:`grader.sandbox.layers`; each runner applies them): where the machine
allows, it lives in its own mount, PID, network, IPC and UTS namespaces
(inside a user namespace of its own when not root) as the PID namespace's
init, and sees the checkout's hidden paths covered by empty filesystems.

Control protocol (JSON over a SOCK_SEQPACKET pair, file descriptors attached):

- ``hello`` (sent once, unprompted): the protections in force;
- ``start`` (the exercise's memory and process limits) + the runner's socket:
  apply the limits to the cgroup and hand the socket to the spare runner
  (:mod:`grader.sandbox.spare`), which reads its exercise, limits included,
  from the judge on that socket (:mod:`grader.sandbox.handoff`); no answer:
  the runner's first frame to the judge says it started;
- ``close`` (or the judge hanging up): kill and reap every process, answer
  ``closed``, exit;
- ``stop``: wait up to ``grace`` seconds for the runner to end by itself, kill
  every process left, answer how the runner ended, then fork the next spare
  while the judge goes on. Killed processes are reaped later, so their
  teardown overlaps the next exercise (reaping waits first when they still
  hold a quarter of the memory limit).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from grader.sandbox.layers import Stack
from grader.sandbox.layers.base import Setting
from grader.sandbox.layers.cgroup import Cgroup
from grader.sandbox.layers.filesystem import SCRATCH
from grader.sandbox.layers.process import close_fds_except, die_with_parent, null_stdio, scrub_environment
from grader.sandbox.layers.reaper import descendants, reap
from grader.sandbox.notebook_runner import new_shell
from grader.sandbox.spare import Spare, fork_spare


def fork_zygote(ctl: socket.socket, hide: list[Path], keep: list[Path], preload: list[str],
                disabled: frozenset[str]) -> int:
    """Fork a slot (returns its outer pid); the child never returns."""
    pid = os.fork()
    if pid:
        return pid
    try:
        die_with_parent()
        close_fds_except([ctl.fileno()])
        null_stdio()
        sandbox = Stack(Setting("fork", hide, keep, disabled, slot_id=os.getpid()))
        notes = sandbox.setup()  # with namespaces, this goes on in their init while this process waits
        _zygote_main(ctl, sandbox, preload, notes)
    finally:
        os._exit(0)


def _send(ctl: socket.socket, doc: dict[str, Any]) -> None:
    ctl.send(json.dumps(doc).encode())


def _zygote_main(ctl: socket.socket, sandbox: Stack, preload: list[str], notes: dict[str, tuple[bool, str]]) -> None:
    cgroup, in_pid_ns = sandbox.setting.cgroup, sandbox.setting.pid_ns
    _preload(preload)  # where the hidden paths are covered; dropped again if loaded from one
    _forget(sandbox.setting.hide, sandbox.setting.keep)
    scrub_environment()
    os.environ["IPYTHONDIR"] = tempfile.mkdtemp(prefix="dlgrade-ipython-")
    baseline = _scratch_entries()  # the IPython folder, and kept paths bound back under /tmp: never removed
    shell = new_shell()  # warm for notebooks; forked runners reuse it
    gc.freeze()  # runners' collections leave the inherited heap alone (and uncopied)
    _send(ctl, {"hello": notes})

    spare = _next_spare(ctl, sandbox, shell)
    runner: int | None = None
    workdir: Path | None = None
    oom_before = 0
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(ctl, 1 << 20, 4)
        except OSError:
            data, fds = b"", []
        msg: dict[str, Any] = json.loads(data) if data else {"op": "close"}
        if msg["op"] == "close":
            _kill_all(in_pid_ns)
            reap(block=True)
            if cgroup:
                cgroup.remove()
            if data:
                _send(ctl, {"closed": True})
            os._exit(0)
        if msg["op"] == "start":
            reap(block=False)
            spare = spare or _next_spare(ctl, sandbox, shell)
            runner = workdir = None
            if spare:
                try:
                    if cgroup:
                        cgroup.set_limits(msg["memory"], msg["processes"])
                        oom_before = cgroup.oom_kills()
                except OSError:
                    spare.sock.close()  # it ends as a runner that could not be set up
                else:
                    spare.hand_over(fds[0])
                runner, workdir, spare = spare.pid, spare.workdir, None
            os.close(fds[0])
        elif msg["op"] == "stop":
            status = _wait(runner, float(msg.get("grace", 0)))
            _kill_all(in_pid_ns)
            oom = cgroup.oom_kills() > oom_before if cgroup else False
            _send(ctl, {"status": status, "oom": oom})
            _clean(workdir, baseline)  # after answering: the judge goes on while the exercise's files go
            runner = workdir = None
            reap(block=in_pid_ns and _crowded(cgroup))
            spare = _next_spare(ctl, sandbox, shell)


def _next_spare(ctl: socket.socket, sandbox: Stack, shell: Any) -> Spare | None:
    """A new spare runner, or ``None`` when none can be made now (the next ``start`` tries again)."""
    try:
        return fork_spare(ctl, sandbox, shell)
    except OSError:
        return None


def _preload(modules: list[str]) -> None:
    """Import the course's preloaded modules; one that fails is skipped (a runner that needs it reports the error)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a runner imports it itself and reports its error
            continue


def _crowded(cgroup: Cgroup | None) -> bool:
    """Whether the last exercise's processes may still hold enough memory to matter for the next one."""
    return cgroup is not None and cgroup.usage() > cgroup.limit() // 4


def _forget(hide: list[Path], keep: list[Path]) -> None:
    """Drop every module loaded from a hidden path (defence in depth: the template is forked before any is)."""
    hides, keeps = [p.resolve() for p in hide], [k.resolve() for k in keep]

    def secret(path: Path) -> bool:
        covering = [h for h in hides if path.is_relative_to(h)]
        kept = [k for k in keeps if path.is_relative_to(k)]
        return bool(covering) and (not kept or any(h.is_relative_to(k) for h in covering for k in kept))

    dropped = False
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and secret(Path(path).resolve()):
            del sys.modules[name]
            dropped = True
    if dropped:
        gc.collect()


def _wait(pid: int | None, grace: float) -> dict[str, Any]:
    """How the runner ended, waiting up to ``grace`` seconds; past that it is killed (and reaped later)."""
    if pid is None:
        return {"kind": "none"}
    deadline = time.monotonic() + grace
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return {"kind": "none"}
        if done:
            break
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            return {"kind": "killed"}
        time.sleep(0.002)
    if os.WIFSIGNALED(status):
        return {"kind": "signal", "signal": os.WTERMSIG(status)}
    return {"kind": "exit", "code": os.WEXITSTATUS(status)}


def _kill_all(in_pid_ns: bool) -> None:
    """End every process of the exercise: the whole PID namespace (reaped later), or the zygote's tree."""
    if in_pid_ns:
        try:
            os.kill(-1, signal.SIGKILL)  # as the namespace's init, this spares only the zygote
        except ProcessLookupError:
            pass
        return
    for _ in range(50):
        pids = descendants(os.getpid())
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap(block=False)
        time.sleep(0.005)


def _scratch_entries() -> set[Path]:
    """What the scratch folders hold now."""
    found: set[Path] = set()
    for folder in SCRATCH:
        try:
            found.update(Path(folder).iterdir())
        except OSError:
            continue
    return found


def _clean(workdir: Path | None, baseline: set[Path]) -> None:
    """Remove the exercise's files; in a namespace, empty every private scratch folder of what runners
    left there, so that nothing reaches the next runner (another student's, perhaps).

    Entries that were there before any runner (``baseline``: a checkout or virtual environment under
    /tmp is bound back there) and anything on another filesystem are left alone.
    """
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)
    if os.getpid() != 1:
        return
    for entry in _scratch_entries() - baseline:
        try:
            if entry.lstat().st_dev != entry.parent.stat().st_dev:
                continue  # a mount point: not the runner's
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            pass
