"""`dlgrade check --watch`: a saved file is checked again, and Ctrl-C ends the watch with nothing left behind."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

WAIT = 60  # seconds for any one verdict (the sandbox starts in a few)


def _processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, start time, state)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            found[int(entry)] = (int(fields[1]), fields[19], fields[0])
    return found


def _descendants(pid: int) -> set[tuple[int, str]]:
    """The live processes below ``pid``, each as (pid, start time) so that a reused pid is not mistaken for it."""
    table = _processes()
    below, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, start, _state) in table.items():
            if ppid == parent:
                below.add((child, start))
                todo.append(child)
    return below


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    table = _processes()
    return {(pid, start) for pid, start in processes if pid in table and table[pid][1] == start
            and table[pid][2] != "Z"}


class _Output:
    """The watch's output, line by line, read in a thread so that waiting for a line can time out."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.put(line)
        self.lines.put(None)  # the end of the output

    def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.seen)}")

    def rest(self) -> str:
        while (line := self.lines.get(timeout=WAIT)) is not None:
            self.seen.append(line)
        return "".join(self.seen)


def test_watch_checks_a_saved_file_again_and_stops_on_ctrl_c(tmp_path):
    work = tmp_path / "work"
    (work / ".ipynb_checkpoints").mkdir(parents=True)
    target = work / "text_clean.py"
    target.write_text((ROOT / "exercises" / "09_text_clean" / "text_clean.py").read_text())
    exe = Path(sys.executable).with_name("dlgrade")
    proc = subprocess.Popen([str(exe), "check", "--watch", str(work)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "120"})
    try:
        out = _Output(proc)
        top = out.wait_for(r"^text_clean\s+0/(\d+)\s+✓ 0\s+✗ [1-9]").group(1)  # the stub: the first check
        (work / ".ipynb_checkpoints" / "text_clean-checkpoint.ipynb").write_text("{}")  # ignored
        target.write_text((ROOT / "solutions" / "text_clean.py").read_text())  # saved: checked again
        out.wait_for(rf"^checking {re.escape(str(target))}…")
        out.wait_for(rf"^text_clean\s+{top}/{top}\s+✓ [1-9]\d*\s+✗ 0")
        out.wait_for("^╰")  # its details drawn: the watch is waiting for the next save
        tree = _descendants(proc.pid)
        assert tree, "the sandbox slot's processes should be running"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole foreground process group
        assert proc.wait(timeout=WAIT) == 0
        text = out.rest()
        assert "stopped" in text.splitlines()[-1]
        assert "checkpoint" not in text and "Traceback" not in text
        assert not [line for line in text.splitlines() if re.match(r"(pad_collate|custom_dataset)\b", line)]
        assert _alive(tree) == set()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
