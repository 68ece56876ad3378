"""The ``--kernel`` engine: a notebook run by nbclient in a real ipykernel, inside the runner's sandbox.

Stop-on-error policy: none. Every cell runs (``allow_errors``); a cell past
its limit is interrupted and recorded (``interrupt_on_timeout`` with an error
reply), and the next cell runs, as "Run All" would with errors shown. The
kernel is a child of the runner, so it has the runner's namespaces, user,
cgroup and limits, and dies with the exercise; it talks to the runner over
unix sockets (ZMQ ``ipc`` transport) in the private working folder.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from typing import Any

from nbclient import NotebookClient
from nbclient.util import run_sync
from nbformat.v4 import new_code_cell, new_notebook

from grader import wire
from grader.sandbox.kernel_agent import MIME
from grader.sandbox.notebook_runner import neutralise_shell_lines
from grader.sandbox.spec import RunnerSpec

STARTUP_TIMEOUT = 60


class KernelSession:
    """One notebook in one kernel, then the judge's requests executed in that kernel."""

    def __init__(self, spec: RunnerSpec, out: io.TextIOBase) -> None:
        self.module_name, self.cells, self.cell_limit, self.out = spec.module, spec.cells or (), spec.cell_limit, out
        self.forbidden = list(spec.forbidden)  # wired in the kernel before its first cell
        self.client: NotebookClient | None = None

    def start(self) -> list[dict[str, Any]]:
        """Start the kernel, install the agent, run every cell; return a record per cell that did not just run."""
        setup = new_code_cell(f"import grader.sandbox.kernel_agent as __dlgrade_agent\n"
                              f"__dlgrade_agent.install({self.module_name!r}, {self.forbidden!r})\n"
                              "del __dlgrade_agent")
        prepared = [neutralise_shell_lines(source) for _, source in self.cells]
        nb = new_notebook(cells=[setup, *(new_code_cell(code) for code, _ in prepared)])
        timeout = max(int(self.cell_limit + 0.999), 1)
        self.client = NotebookClient(
            nb, timeout=timeout, startup_timeout=STARTUP_TIMEOUT, kernel_name="python3", allow_errors=True,
            interrupt_on_timeout=True, record_timing=False,
            error_on_timeout={"ename": "CellTimeout", "evalue": f"cut off after {self.cell_limit:g} s",
                              "traceback": []},
        )
        # The kernel is started as sys.executable: normalise it, a path through a covered folder
        # (".../tests/../.venv/bin/python") would not resolve in the sandbox.
        sys.executable = os.path.abspath(sys.executable)
        self.client.km = self.client.create_kernel_manager()
        self.client.km.transport = "ipc"  # unix sockets in the private working folder: no network at all
        self.client.start_new_kernel()
        self.client.start_new_kernel_client()
        self.client.execute_cell(nb.cells[0], 0)
        for output in nb.cells[0].outputs:
            if output.get("output_type") == "error":
                raise RuntimeError(f"the grading agent could not start in the kernel: "
                                   f"{output.get('ename')}: {str(output.get('evalue'))[:300]}")
        records: list[dict[str, Any]] = []
        for index, ((number, _), (_, notes), cell) in enumerate(zip(self.cells, prepared, nb.cells[1:], strict=True)):
            records.extend({"cell": number, "status": "skipped", "message": note} for note in notes)
            self.client.execute_cell(cell, index + 1, execution_count=number)
            for output in cell.outputs:
                if output.get("output_type") == "stream":
                    self.out.write(str(output.get("text", "")))
                elif output.get("output_type") == "error":
                    records.append(_record(number, output, self.cell_limit))
        return records

    def ask(self, doc: Any, blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        """Run one judge request in the kernel; return the agent's answer."""
        assert self.client is not None and self.client.kc is not None
        payload = base64.b64encode(wire.pack_frame(doc, blobs)).decode("ascii")
        frames: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            content = msg.get("content", {})
            if msg.get("msg_type") in ("display_data", "update_display_data") and MIME in content.get("data", {}):
                frames.append(content["data"][MIME])
            elif msg.get("msg_type") == "stream":
                self.out.write(str(content.get("text", "")))

        code = f"import grader.sandbox.kernel_agent as __a; __a.handle({payload!r}); del __a"
        execute = run_sync(self.client.kc.execute_interactive)  # type: ignore[attr-defined]
        reply = execute(code, store_history=False, allow_stdin=False, output_hook=hook)
        if not frames:
            content = reply.get("content", {})
            return {"unsendable": f"the kernel did not answer ({content.get('ename', 'no reply')})"}, []
        answer, answer_blobs = wire.unpack_frame(base64.b64decode(frames[-1]))
        return (answer if isinstance(answer, dict) else {"unsendable": "malformed answer"}), answer_blobs


def _record(number: int, output: dict[str, Any], cell_limit: float) -> dict[str, Any]:
    if output.get("ename") in ("CellTimeout", "KeyboardInterrupt"):  # nbclient interrupts a cell past its limit
        return {"cell": number, "status": "timeout", "message": f"cut off after {cell_limit:g} s"}
    return {"cell": number, "status": "error", "mro": [str(output.get("ename", "Exception"))],
            "message": str(output.get("evalue", ""))[:2000], "traceback": []}
