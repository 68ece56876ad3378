"""Hostile submissions: each is scored, contained, and leaves the grader and other exercises unharmed.

Every submission here is the reference ``pad_collate`` with one hostile
behaviour appended (a later definition overrides the reference's), graded
together with a correct ``distributed_partition`` that must keep full marks.
Limits are cut down (2 s per check, 256 MiB) so that a regression stays bounded;
a submission that runs into a time limit on purpose has pad_collate's cut further.
Submissions are graded one after another in one warm sandbox slot, as in a class
run, except where a test needs a slot of its own (other limits, or every process
gone once grading returns).
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, exercise, feedback, survivors

from grader.course import Course
from grader.grading import GradingSession, grade_paths
from grader.results import SubmissionResult

pytestmark = pytest.mark.hostile

REFERENCE = (ROOT / "solutions" / "pad_collate.py").read_text()
OTHER = (ROOT / "solutions" / "distributed_partition.py").read_text()
SECRET = "dlgrade-test-secret-7f3a"


@pytest.fixture(scope="module")
def tight_course(course: Course) -> Course:
    exercises = tuple(dataclasses.replace(ex, check_time_limit=2.0, time_limit=8.0, memory_bytes=256 * 2**20,
                                          processes=32) for ex in course.exercises)
    return dataclasses.replace(course, exercises=exercises)


@pytest.fixture(scope="module")
def session(tight_course: Course, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GradingSession]:
    """One warm sandbox slot for the module, as a class run has: each submission must leave it fit for the next
    (and whatever a submission leaves behind must be gone before the slot closes)."""
    with GradingSession(tight_course, hide=[tmp_path_factory.getbasetemp()]) as graders:
        yield graders


@pytest.fixture
def grade_hostile(session: GradingSession, tight_course: Course, tmp_path: Path):
    def run(snippet: str, fresh: bool = False, **pad_collate_limits: float) -> SubmissionResult:
        """Grade the snippet in the module's session; with ``fresh``, in one of its own that has ended (every
        process of its slot gone) when this returns, as ``grade_paths`` does. ``pad_collate_limits``
        (check_time_limit, time_limit) cut pad_collate's further, for a submission whose every check runs
        into them (``distributed_partition`` keeps the tight course's); such a course gets a session of its own."""
        folder = tmp_path / "student"
        folder.mkdir()
        (folder / "pad_collate.py").write_text(REFERENCE + "\n\n# ---- hostile part ----\n" + snippet)
        (folder / "distributed_partition.py").write_text(OTHER)
        if fresh or pad_collate_limits:
            cut = dataclasses.replace(tight_course, exercises=tuple(
                dataclasses.replace(ex, **pad_collate_limits) if ex.name == "pad_collate" else ex
                for ex in tight_course.exercises))
            (result,) = grade_paths(cut, [folder])
        else:
            (result,) = session.grade([folder])
        other = exercise(result, "distributed_partition")
        assert other.score == other.max_score, feedback(other)
        return result

    return run


SET_NAME = """
import ctypes
def _name(tag):
    ctypes.CDLL(None).prctl(15, tag.encode(), 0, 0, 0)
"""


def test_sys_exit_at_import(grade_hostile):
    ex = exercise(grade_hostile("import sys\nsys.exit(0)\n"), "pad_collate")
    assert ex.status == "crashed" and ex.score == 0
    assert "sys.exit" in ex.message


def test_os_exit_in_one_function(grade_hostile):
    snippet = "import os\ndef make_loader(dataset, batch_size, shuffle=False):\n    os._exit(3)\n"
    ex = exercise(grade_hostile(snippet), "pad_collate")
    crashed = [c for c in ex.checks if c.status == "crashed"]
    assert crashed and all("exit code 3" in c.feedback for c in crashed)
    # The checks that never call make_loader still pass in a fresh runner.
    assert ex.score == ex.max_score - sum(c.max_score for c in crashed)
    assert ex.score >= 6


def test_endless_loop_times_out(grade_hostile):
    snippet = "def pad_collate(batch, pad_value=0):\n    while True:\n        pass\n"
    # Every check loops: cut off at 0.5 s each, until the exercise's 2 s are spent (8 s with the tight course's).
    ex = exercise(grade_hostile(snippet, check_time_limit=0.5, time_limit=2.0), "pad_collate")
    assert ex.score == 0
    assert any(c.status == "timeout" for c in ex.checks)
    assert "did not finish" in feedback(ex)


def test_loop_ignoring_sigterm(grade_hostile):
    snippet = ("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
               "def make_loader(dataset, batch_size, shuffle=False):\n    while True:\n        pass\n")
    ex = exercise(grade_hostile(snippet, check_time_limit=1.0), "pad_collate")  # two checks run into it
    assert [c.status for c in ex.checks if "loader" in c.name] == ["timeout", "timeout"]
    assert ex.score == ex.max_score - 2


def test_huge_allocation_hits_the_memory_limit(grade_hostile):
    snippet = ("import torch\ndef pad_collate(batch, pad_value=0):\n"
               "    return torch.ones(12 * 2**30, dtype=torch.uint8)\n")
    ex = exercise(grade_hostile(snippet), "pad_collate")
    assert ex.score == 0
    assert "memory limit (256 MiB)" in feedback(ex)


def test_forked_sleepers_are_limited_and_reaped(grade_hostile):
    snippet = "_ref = pad_collate\n" + SET_NAME + (
        "import os, time\n"
        "def pad_collate(batch, pad_value=0):\n"
        "    for _ in range(200):\n"
        "        try:\n"
        "            if os.fork() == 0:\n"
        "                _name('dlg-sleeper')\n"
        "                time.sleep(600)\n"
        "                os._exit(0)\n"
        "        except OSError:\n"
        "            return _ref(batch, pad_value)\n"
        "    raise RuntimeError('forked 200 processes: no process limit')\n")
    ex = exercise(grade_hostile(snippet, fresh=True), "pad_collate")
    assert ex.score == ex.max_score, feedback(ex)
    assert not survivors("dlg-sleeper")


def test_setsid_daemon_does_not_survive(grade_hostile):
    snippet = SET_NAME + (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        _name('dlg-daemon')\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n")
    ex = exercise(grade_hostile(snippet, fresh=True), "pad_collate")
    assert ex.score == ex.max_score
    assert not survivors("dlg-daemon")


def test_300mb_of_output_is_capped(grade_hostile):
    snippet = ("_ref = pad_collate\nimport os\n"
               "def pad_collate(batch, pad_value=0):\n"
               "    line = 'x' * (1 << 20)\n"
               "    for _ in range(150):\n"
               "        print(line)\n"
               "        os.write(1, line.encode())\n"
               "    return _ref(batch, pad_value)\n")
    ex = exercise(grade_hostile(snippet), "pad_collate")
    assert ex.score == ex.max_score, feedback(ex)
    assert len(ex.output) < 20_000 and "not shown" in ex.output


def test_segfault(grade_hostile):
    snippet = "import ctypes\ndef pad_collate(batch, pad_value=0):\n    return ctypes.string_at(0)\n"
    ex = exercise(grade_hostile(snippet), "pad_collate")
    assert any(c.status == "crashed" and "segmentation fault" in c.feedback for c in ex.checks)


def test_no_network_even_loopback(grade_hostile):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    port = server.getsockname()[1]
    accepted: list[object] = []
    graded = threading.Event()

    def accept() -> None:  # until grading is over (the sandbox gone), then whatever is left in the backlog
        while not graded.is_set():
            try:
                accepted.append(server.accept())
            except (TimeoutError, OSError):
                continue
        server.setblocking(False)
        while True:
            try:
                accepted.append(server.accept())
            except OSError:
                return

    thread = threading.Thread(target=accept)
    thread.start()
    snippet = ("_ref = pad_collate\nimport socket\n"
               "def pad_collate(batch, pad_value=0):\n"
               "    try:\n"
               f"        socket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'leak')\n"
               "    except OSError as exc:\n"
               "        return _ref(batch, pad_value)\n"
               "    raise RuntimeError('connected to the grader host')\n")
    try:
        ex = exercise(grade_hostile(snippet), "pad_collate")
    finally:
        graded.set()
        thread.join()
        server.close()
    assert not accepted
    assert ex.score == ex.max_score, feedback(ex)


def test_cannot_read_grader_environment(grade_hostile, monkeypatch):
    monkeypatch.setenv("DLGRADE_TEST_SECRET", SECRET)
    snippet = ("_ref = pad_collate\nimport os, glob\n"
               "def pad_collate(batch, pad_value=0):\n"
               "    seen = [os.environ.get('DLGRADE_TEST_SECRET', '')]\n"
               "    for path in ['/proc/self/environ', '/proc/1/environ', *glob.glob('/proc/*/environ')]:\n"
               "        try:\n"
               "            seen.append(open(path, 'rb').read().decode('latin-1'))\n"
               "        except OSError:\n"
               "            pass\n"
               f"    if any({SECRET!r} in s for s in seen):\n"
               f"        raise RuntimeError('found ' + {SECRET!r})\n"
               "    return _ref(batch, pad_value)\n")
    result = grade_hostile(snippet)
    ex = exercise(result, "pad_collate")
    assert SECRET not in feedback(ex)
    assert ex.score == ex.max_score, feedback(ex)


def test_cannot_read_hidden_checks(grade_hostile, course):
    hidden = course.exercise("pad_collate").hidden_checks
    snippet = ("_ref = pad_collate\nimport os\n"
               "def pad_collate(batch, pad_value=0):\n"
               f"    for path in [{str(hidden)!r}, {str(ROOT / 'solutions' / 'pad_collate.py')!r}]:\n"
               "        try:\n"
               "            raise RuntimeError('read: ' + open(path).read()[:300])\n"
               "        except OSError:\n"
               "            pass\n"
               f"    try:\n        listing = os.listdir({str(hidden.parent)!r})\n"
               "    except OSError:\n        listing = []\n"
               "    if listing:\n        raise RuntimeError('listed: ' + ' '.join(listing))\n"
               "    return _ref(batch, pad_value)\n")
    ex = exercise(grade_hostile(snippet), "pad_collate")
    assert "read:" not in feedback(ex) and "listed:" not in feedback(ex)
    assert ex.score == ex.max_score, feedback(ex)


def test_cannot_signal_the_grader(grade_hostile):
    snippet = ("_ref = pad_collate\nimport os, signal\n"
               "def pad_collate(batch, pad_value=0):\n"
               "    for pid in (1, os.getppid(), -1):\n"
               "        try:\n"
               "            os.kill(pid, signal.SIGKILL)\n"
               "        except OSError:\n"
               "            pass\n"
               "    return _ref(batch, pad_value)\n")
    ex = exercise(grade_hostile(snippet), "pad_collate")
    assert ex.status == "graded"


def test_nothing_carries_over_to_the_next_runners(tight_course, tmp_path):
    """Runners are forked ahead of time, two zygotes taking turns: each must still start clean."""
    folder = tmp_path / "student"
    folder.mkdir()
    poison = ("\nimport os, sys, torch, builtins\n"
              "for folder in ('/tmp', '/var/tmp', '/dev/shm'):\n"
              "    open(folder + '/dlg-poison', 'w').write('x')\n"
              "os.environ['DLG_POISON'] = '1'\n"
              "torch.poisoned = True\n"
              "builtins.len = lambda x: 0\n")
    (folder / "pad_collate.py").write_text(REFERENCE + poison)
    clean = ("\nimport os, sys, torch, builtins\n"
             "for folder in ('/tmp', '/var/tmp', '/dev/shm'):\n"
             "    assert not os.path.exists(folder + '/dlg-poison'), 'a file of the last exercise in ' + folder\n"
             "assert 'DLG_POISON' not in os.environ, 'the environment of the last exercise'\n"
             "assert not hasattr(torch, 'poisoned'), 'a module changed by the last exercise'\n"
             "assert builtins.len([1]) == 1, 'builtins changed by the last exercise'\n"
             "assert 'torchvision.transforms.v2' in sys.modules, 'the course preload is missing'\n")
    for name in ("distributed_partition", "text_clean"):  # the one after, and the next on the same zygote
        (folder / f"{name}.py").write_text((ROOT / "solutions" / f"{name}.py").read_text() + clean)
    (result,) = grade_paths(tight_course, [folder])
    for name in ("distributed_partition", "text_clean"):
        ex = exercise(result, name)
        assert ex.score == ex.max_score, feedback(ex)
