"""Processes that refuse to end: each is bounded by the exercise's limits and leaves nothing behind.

Like ``tests/test_hostile.py``: the reference ``pad_collate`` with one hostile
behaviour appended, graded with a correct ``distributed_partition`` that must
keep full marks, under cut-down limits. The runner names its main thread
(``prctl``) so that a process left over after grading can be found.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, exercise, feedback, survivors
from nbformat.v4 import new_code_cell, new_notebook

from grader.course import Course
from grader.grading import grade_paths

pytestmark = pytest.mark.hostile

REFERENCE = (ROOT / "solutions" / "pad_collate.py").read_text()
OTHER = (ROOT / "solutions" / "distributed_partition.py").read_text()
TAG = "dlg-lingering"
NAME = f"import ctypes\nctypes.CDLL(None).prctl(15, b'{TAG}', 0, 0, 0)\n"

SPIN = "def _spin():\n    while True:\n        pass\n"
BEHAVIOURS = {
    "non-daemon thread spinning": f"import threading\n{SPIN}threading.Thread(target=_spin).start()\n",
    "atexit handler that loops": f"import atexit\n{SPIN}atexit.register(_spin)\n",
    "__del__ that loops": "class _Stuck:\n    def __del__(self):\n        while True:\n            pass\n"
                          "_kept = _Stuck()\n",
    "SIGTERM, SIGINT, SIGALRM and SIGHUP ignored": (
        "import signal\nfor _s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP):\n"
        "    signal.signal(_s, signal.SIG_IGN)\n"),
    "os._exit and sys.exit disabled, a thread spinning": (
        f"import os, sys, threading\n{SPIN}os._exit = lambda code: None\nsys.exit = lambda *args: None\n"
        "threading.Thread(target=_spin).start()\n"),
}
HOPPER = ("import os\nif os.fork() == 0:\n    while True:\n        if os.fork():\n            os._exit(0)\n"
          "        if os.getsid(0) != os.getpid():\n            os.setsid()\n")
# Fork mode ends these with the PID namespace; spawn mode (no namespace) with the runner's keeper, a subreaper
# that sweeps its tree when the runner ends (grader/sandbox/keeper.py).
ALL = [*BEHAVIOURS.items(), ("a process that forks a new self and ends, over and over", HOPPER)]
CASES = [pytest.param(code, "fork", id=f"{name}-fork") for name, code in ALL]
CASES += [pytest.param(code, "spawn", id=f"{name}-spawn", marks=pytest.mark.slow) for name, code in ALL]


@pytest.fixture(scope="module")
def tight_course(course: Course) -> Course:
    exercises = tuple(dataclasses.replace(ex, check_time_limit=2.0, time_limit=8.0, memory_bytes=256 * 2**20,
                                          processes=32) for ex in course.exercises)
    return dataclasses.replace(course, exercises=exercises)


def _pad_collate_cut(course: Course, **limits: float) -> Course:
    """``course`` with pad_collate's limits cut further, for a test that runs into them on purpose (the correct
    ``distributed_partition`` keeps the tight course's)."""
    return dataclasses.replace(course, exercises=tuple(
        dataclasses.replace(ex, **limits) if ex.name == "pad_collate" else ex for ex in course.exercises))


def _left_over() -> list[int]:
    """Processes named by the submission still alive a moment after grading. They are ended here, stopped
    before they are killed until none is seen for a while: one that keeps forking a new self must not
    outlive a failed test and be counted against the next."""
    deadline = time.monotonic() + 1.0
    while (found := survivors(TAG)) and time.monotonic() < deadline:
        time.sleep(0.05)
    quiet, deadline = 0, time.monotonic() + 10.0
    while quiet < 20 and time.monotonic() < deadline:
        alive = survivors(TAG)
        quiet = 0 if alive else quiet + 1
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in alive:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        time.sleep(0.01)
    return found


@pytest.mark.parametrize(("behaviour", "isolation"), CASES)
def test_a_runner_that_refuses_to_end_is_ended(tight_course, tmp_path: Path, behaviour: str, isolation: str):
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "pad_collate.py").write_text(REFERENCE + "\n\n# ---- lingering part ----\n" + NAME + behaviour)
    (folder / "distributed_partition.py").write_text(OTHER)
    started = time.monotonic()
    (result,) = grade_paths(tight_course, [folder], ["pad_collate", "distributed_partition"], isolation=isolation)
    took = time.monotonic() - started
    # In spawn mode the exercise's clock also counts starting the interpreter, which a busy machine makes slow
    # for a runner that shares its core with a spinning thread or forks without end: only the other exercise
    # must keep full marks there.
    for name in ("pad_collate", "distributed_partition") if isolation == "fork" else ("distributed_partition",):
        ex = exercise(result, name)
        assert ex.score == ex.max_score, feedback(ex)
    assert took < 2 * 8.0 + 30, f"grading took {took:.0f} s"  # two exercise limits, and starting interpreters
    assert not _left_over(), "a process of the submission outlived its exercise"


@pytest.mark.parametrize("isolation", ["fork", "spawn"])
def test_a_daemon_left_by_a_runner_that_ended_itself_is_ended(tight_course, tmp_path: Path, isolation: str):
    """The daemon keeps the runner's socket open: the checks waiting on the dead runner time out instead of
    seeing it crash, but within the check limit, and the daemon does not outlive the exercise."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "pad_collate.py").write_text(REFERENCE + "\n\n# ---- lingering part ----\n" + NAME + (
        "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(600)\n"
        "    os._exit(0)\n\ndef make_loader(dataset, batch_size, shuffle=False):\n    os._exit(3)\n"))
    (folder / "distributed_partition.py").write_text(OTHER)
    # The two loader checks each wait out the check limit. A spawned runner's limit also counts starting the
    # next interpreter, which the 2 s of the tight course leave room for.
    cut = _pad_collate_cut(tight_course, check_time_limit=1.0) if isolation == "fork" else tight_course
    (result,) = grade_paths(cut, [folder], ["pad_collate", "distributed_partition"], isolation=isolation)
    ex = exercise(result, "pad_collate")
    lost = [c for c in ex.checks if c.status != "passed"]
    assert lost and all("loader" in c.name for c in lost), feedback(ex)
    other = exercise(result, "distributed_partition")
    assert other.score == other.max_score, feedback(other)
    assert not _left_over()


def test_a_notebook_cell_that_ignores_its_alarm_is_bounded_by_the_exercise(tight_course, tmp_path: Path):
    """The fast engine cuts a cell off with SIGALRM; a cell that ignores it runs into the judge's clock."""
    folder = tmp_path / "student"
    folder.mkdir()
    cells = [REFERENCE, NAME + "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n"]
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), str(folder / "pad_collate.ipynb"))
    (folder / "distributed_partition.py").write_text(OTHER)
    cut = _pad_collate_cut(tight_course, check_time_limit=1.0, time_limit=3.0)  # the cell runs to the 3 s limit
    started = time.monotonic()
    (result,) = grade_paths(cut, [folder], ["pad_collate", "distributed_partition"], isolation="fork")
    assert time.monotonic() - started < 3.0 + 20
    ex = exercise(result, "pad_collate")
    assert ex.status == "timeout" and ex.score == 0, feedback(ex)
    other = exercise(result, "distributed_partition")
    assert other.score == other.max_score, feedback(other)
    assert not _left_over()
