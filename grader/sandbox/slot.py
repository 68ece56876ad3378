"""Judge-side handles on runners: a slot starts, talks to and stops them.

Two kinds of slot share one interface:

- :class:`ForkSlot` (Linux): a warm zygote forks each runner; see
  :mod:`grader.sandbox.zygote`.
- :class:`SpawnSlot` (macOS, Windows, or ``--isolation spawn``): each runner
  is a fresh interpreter, connected over loopback with a one-time token.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from grader import wire
from grader.sandbox.exit_codes import SETUP_FAILED
from grader.sandbox.handoff import send_spec
from grader.sandbox.layers import Stack
from grader.sandbox.layers.base import Setting
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.layers.process import HUGE_PAGES
from grader.sandbox.layers.reaper import await_death, descendants
from grader.sandbox.spec import RunnerLimits, RunnerSpec, SpawnSettings

START_TIMEOUT = 120.0
CLOSE_TIMEOUT = 10.0
KILL_WAIT = 5.0  # a killed process holding torch takes a moment to tear down its memory


@dataclass(frozen=True)
class Layer:
    """One protection and whether it is in force on this machine."""

    name: str
    in_force: bool
    detail: str


@dataclass(frozen=True)
class RunnerExit:
    """How a runner ended, as the slot saw it."""

    kind: str  # "exit", "signal", "killed" (by the grader), "none"
    code: int | None = None
    signal: int | None = None
    oom: bool = False
    memory_bytes: int = 0

    def describe(self) -> str:
        """The reason in a student's terms."""
        if self.oom:
            return f"your code used more than the memory limit ({self.memory_bytes // 2**20} MiB) and was stopped"
        if self.kind == "signal" and self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = str(self.signal)
            if self.signal == signal.SIGSEGV:
                return "your code crashed the Python process with a segmentation fault (SIGSEGV)"
            return f"the process running your code was killed by signal {name}"
        if self.kind == "exit":
            if self.code == SETUP_FAILED:
                return "the sandbox could not be set up for your code"
            return (f"your code ended the process (exit code {self.code}); "
                    "do not call sys.exit() or os._exit() in a function")
        return "the process running your code stopped unexpectedly"


class RunnerTimeout(Exception):
    """The runner did not answer within the time limit."""


class RunnerDied(Exception):
    """The runner's connection closed or broke the protocol."""


class Runner:
    """The judge's end of one runner's socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def request(self, doc: Any, blobs: list[bytes], timeout: float) -> tuple[Any, list[bytes]]:
        """Send one request and wait at most ``timeout`` seconds in all for its whole answer.

        A ``RunnerDied`` whose ``__cause__`` is a :class:`wire.WireError` is an answer that broke the
        protocol or its limits: the stream is out of step, so the runner must be stopped.
        """
        deadline = time.monotonic() + max(timeout, 0.001)
        self.sock.settimeout(max(timeout, 0.001))
        try:
            if doc is not None:
                wire.send_frame(self.sock, doc, blobs)
            return wire.recv_frame(self.sock, deadline)
        except TimeoutError:
            raise RunnerTimeout() from None
        except (wire.PeerClosed, ConnectionError, BrokenPipeError):
            raise RunnerDied("connection closed") from None
        except wire.WireError as exc:
            raise RunnerDied(str(exc)) from exc

    def close(self) -> None:
        self.sock.close()


def disabled_layers() -> frozenset[str]:
    """Optional layers turned off with ``DLGRADE_DISABLE_LAYERS=seccomp,landlock`` (to measure what they cost)."""
    return frozenset(name.strip() for name in os.environ.get("DLGRADE_DISABLE_LAYERS", "").split(",") if name.strip())


class Slot(Protocol):
    """Where runners come from."""

    @property
    def layers(self) -> list[Layer]: ...

    def start(self, spec: RunnerSpec) -> Runner: ...

    def stop(self, grace: float) -> RunnerExit: ...

    def close(self) -> None: ...


class ForkSlot:
    """Runners from two warm zygotes taking turns (Linux).

    Each zygote readies its next runner (fork, isolation) as soon as the last
    one is stopped, so that work overlaps the other zygote's exercise instead
    of delaying the next one.
    """

    def __init__(self, hide: list[Path], keep: list[Path], preload: list[str] | None = None,
                 disabled: frozenset[str] | None = None, collapse: bool = False) -> None:
        # Lazy: the template module imports torchvision and IPython for the warm processes (more than a second);
        # only a fork slot pays for that, and only when it opens.
        from grader.sandbox.template import prefork

        template = prefork(collapse)
        off = disabled_layers() if disabled is None else disabled
        # Both zygotes set up in the background; several slots opened one after another set up side by side.
        self._zygotes = [template.zygote(hide, keep, preload or [], off) for _ in range(2)]
        self._layers: list[Layer] | None = None
        self._next = 0
        self._active: socket.socket | None = None
        self._limits: RunnerLimits | None = None

    @property
    def layers(self) -> list[Layer]:
        """The protections in force; the first call waits until both zygotes are set up (whichever process
        makes it: a judge forked with a slot still setting up waits for it there, not in the grader)."""
        if self._layers is None:
            hellos = [self._recv(ctl)["hello"] for ctl in self._zygotes]
            self._layers = [Layer(name, all(bool(h[name][0]) for h in hellos),
                                  next((h[name][1] for h in hellos if not h[name][0]), detail))
                            for name, (_ok, detail) in hellos[0].items()]
        return self._layers

    @staticmethod
    def _recv(ctl: socket.socket) -> dict[str, Any]:
        ctl.settimeout(START_TIMEOUT)
        data = ctl.recv(1 << 20)
        if not data:
            raise RuntimeError("the sandbox slot ended unexpectedly")
        result: dict[str, Any] = json.loads(data)
        return result

    def start(self, spec: RunnerSpec) -> Runner:
        """Hand one exercise to the next zygote's waiting runner; its first frame says whether the module loaded."""
        self.layers  # noqa: B018 - the zygotes must be set up
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        msg = {"op": "start", "memory": spec.limits.memory_bytes, "processes": spec.limits.processes}
        ctl = self._zygotes[self._next]
        self._next = 1 - self._next
        socket.send_fds(ctl, [json.dumps(msg).encode()], [theirs.fileno()])
        theirs.close()  # no reply: the runner's own first frame says it started
        self._active, self._limits = ctl, spec.limits
        mine.settimeout(START_TIMEOUT)
        try:
            send_spec(mine, spec)
        except OSError:
            mine.shutdown(socket.SHUT_RDWR)  # no runner took it: the first request finds the connection closed
        return Runner(mine)

    def stop(self, grace: float) -> RunnerExit:
        """End the runner and everything it started; report how it ended."""
        ctl, self._active = self._active, None
        if ctl is None:
            return RunnerExit("none")
        ctl.send(json.dumps({"op": "stop", "grace": grace}).encode())
        reply = self._recv(ctl)
        status = reply["status"]
        memory = self._limits.memory_bytes if self._limits else 0
        return RunnerExit(status["kind"], status.get("code"), status.get("signal"), bool(reply["oom"]), memory)

    def close(self) -> None:
        """Shut the zygotes down and wait (briefly) until every process they started is gone."""
        for ctl in self._zygotes:
            try:
                ctl.send(json.dumps({"op": "close"}).encode())
            except OSError:
                pass
        for ctl in self._zygotes:
            deadline = time.monotonic() + CLOSE_TIMEOUT
            try:  # a hello nobody read may come first: wait for the answer to "close", or the end
                while (left := deadline - time.monotonic()) > 0:
                    ctl.settimeout(left)
                    data = ctl.recv(1 << 20)
                    if not data or b'"closed"' in data:
                        break
            except OSError:
                pass
            ctl.close()


class SpawnSlot:
    """Runners started as fresh interpreters: slower, portable, fewer layers."""

    def __init__(self, hide: list[Path], keep: list[Path], disabled: frozenset[str] | None = None) -> None:
        self._hide, self._keep = tuple(str(p) for p in hide), tuple(str(p) for p in keep)
        self._disabled = disabled_layers() if disabled is None else disabled
        said = Stack(Setting("spawn", hide, keep, self._disabled)).setup()  # a probe: changes nothing here
        self.layers = [Layer(name, ok, detail) for name, (ok, detail) in said.items()]
        self._proc: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None
        self._limits: RunnerLimits | None = None

    def start(self, spec: RunnerSpec) -> Runner:
        """Start ``python -I -m grader.sandbox.spawned`` and hand it the module over loopback (``-I``: nothing in
        its working folder, home folder or environment takes part in the interpreter's start)."""
        token = secrets.token_hex(16)
        self._workdir = tempfile.TemporaryDirectory(prefix="dlgrade-run-")
        with socket.create_server(("127.0.0.1", 0)) as server:
            port = server.getsockname()[1]
            env = {"PATH": os.environ.get("PATH", ""), "HOME": self._workdir.name, "TMPDIR": self._workdir.name,
                   "OMP_NUM_THREADS": "1", "SYSTEMROOT": os.environ.get("SYSTEMROOT", ""),
                   HUGE_PAGES: os.environ.get(HUGE_PAGES, "1")}
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "grader.sandbox.spawned", str(port)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                cwd=self._workdir.name, env=env, start_new_session=sys.platform != "win32",
            )
            assert self._proc.stdin is not None
            self._proc.stdin.write(token.encode() + b"\n")
            self._proc.stdin.close()
            server.settimeout(START_TIMEOUT)
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    raise RunnerDied("the runner did not start") from None
                runner = Runner(conn)
                try:
                    doc, _ = runner.request(None, [], max(deadline - time.monotonic(), 0.1))
                except (RunnerTimeout, RunnerDied):
                    conn.close()
                    continue
                if isinstance(doc, dict) and doc.get("token") == token:
                    break
                conn.close()
        send_spec(conn, spec, SpawnSettings(self._hide, self._keep, self._disabled,
                                            tuple(layer.name for layer in self.layers if layer.in_force)))
        self._limits = spec.limits
        return runner

    def stop(self, grace: float) -> RunnerExit:
        """Wait up to ``grace`` seconds, then kill the runner's whole process tree."""
        proc, self._proc = self._proc, None
        if proc is None:
            return RunnerExit("none")
        try:
            code = proc.wait(timeout=max(grace, 0.001))
            killed = False
        except subprocess.TimeoutExpired:
            killed = True
        self._kill_tree(proc)
        if killed:
            proc.wait()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None
        memory = self._limits.memory_bytes if self._limits else 0
        if killed:
            return RunnerExit("killed", memory_bytes=memory)
        if code < 0:
            return RunnerExit("signal", signal=-code, memory_bytes=memory)
        return RunnerExit("exit", code=code, memory_bytes=memory)

    @staticmethod
    def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
        if sys.platform == "win32":
            proc.kill()
            return
        ended: list[int] = []
        deadline = time.monotonic() + KILL_WAIT
        while IS_LINUX and (pids := descendants(proc.pid)) and time.monotonic() < deadline:
            for sig in (signal.SIGSTOP, signal.SIGKILL):  # stopped first: a stopped process cannot fork
                for pid in pids:
                    try:
                        os.kill(pid, sig)
                    except (ProcessLookupError, PermissionError):
                        pass
            ended += pids
        for kill in (os.kill, os.killpg):  # the keeper last: until now it kept every orphan in its tree
            try:
                kill(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if ended:
            await_death(ended, KILL_WAIT)

    def close(self) -> None:
        """Nothing stays warm in spawn mode."""
        if self._proc is not None:
            self.stop(0)

