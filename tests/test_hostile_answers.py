"""Answers built to hurt the judge: huge, deep or forged answers fail their own check, in the student's terms.

Each submission is the reference ``pad_collate`` whose ``make_loader`` (used by
exactly two checks, both through probes) misbehaves; the other checks run in
fresh runners and keep their points, and a correct ``distributed_partition``
graded alongside keeps full marks. Every student is graded in one class run
(one judge, one sandbox), with limits cut down as in ``test_hostile.py`` (2 s
per check, 256 MiB). The judge-side unit tests at the end talk to
:class:`grader.sandbox.slot.Runner` over a socket pair.
"""

from __future__ import annotations

import dataclasses
import socket
import struct
import threading
import time

import pytest
from conftest import ROOT, exercise, feedback

from grader import wire
from grader.course import Course
from grader.grading import grade_paths
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox.slot import Runner, RunnerDied, RunnerTimeout

pytestmark = pytest.mark.hostile

REFERENCE = (ROOT / "solutions" / "pad_collate.py").read_text()
OTHER = (ROOT / "solutions" / "distributed_partition.py").read_text()
LOADER_CHECKS = 2  # checks of pad_collate that call make_loader, one point each
Graded = dict[str, SubmissionResult]  # student -> result

# A submission finds the runner's socket by scanning its descriptors (no /proc needed).
JUDGE_FDS = """
import os, stat, struct, time
def _judge_fds():
    found = []
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                found.append(fd)
        except OSError:
            pass
    return found
def _write(data):
    for fd in _judge_fds():
        os.write(fd, data)
"""


def loader_returning(expression: str) -> str:
    """A make_loader whose every batch holds ``expression``, built once at import (returned by the probes)."""
    return (f"import torch\n_BIG = {expression}\n"
            "def make_loader(dataset, batch_size, shuffle=False):\n"
            "    return torch.utils.data.DataLoader(dataset, batch_size=batch_size,\n"
            "                                       collate_fn=lambda b: (_BIG, torch.zeros(1), torch.zeros(1)))\n")


def loader_writing(payload: str) -> str:
    """A make_loader that writes ``payload`` (an expression) onto the runner's socket, then works."""
    return (JUDGE_FDS + "_make_loader = make_loader\n"
            "def make_loader(dataset, batch_size, shuffle=False):\n"
            f"    _write({payload})\n"
            "    return _make_loader(dataset, batch_size, shuffle)\n")


NESTED = "(lambda n: [__import__('functools').reduce(lambda v, _: [v], range(n), 0)])(10_000)"

# (id, snippet, what the feedback of each make_loader check says)
TOO_LARGE = [
    ("huge_tensor", loader_returning("torch.zeros(100 * 2**20, dtype=torch.uint8)"),
     "too large: 100.0 MiB of tensors, arrays and bytes, at most 64.0 MiB"),
    ("expanded_tensor", loader_returning("torch.zeros(1).expand(2**40)"),  # 4 TiB in name only: refused, not copied
     "too large: 4194304.0 MiB of tensors"),
    ("many_blobs", loader_returning("[b'x'] * 200_000"), "too large: more than 100000 tensors, arrays and bytes"),
    ("deep_nesting", loader_returning(NESTED), "too deeply nested: more than 64 levels"),
    ("long_string", loader_returning("'x' * (8 * 2**20)"), "too large: 8.0 MiB of text or more, at most 4.0 MiB"),
    ("long_list", loader_returning("[0.1] * 600_000"), "too large: more than 500000 values"),
]
GARBAGE = [
    ("absurd_json_length", "struct.pack('>II', 0xFFFFFFFF, 0)", "too large: 4096.0 MiB of JSON"),
    ("absurd_blob_count", "struct.pack('>II', 2, 0xFFFFFFFF) + b'{}'", "too large: 4294967295 tensors"),
    ("absurd_blob_length", "struct.pack('>II', 2, 1) + b'{}' + struct.pack('>I', 0xFFFFFFF0)",
     "too large: 4096.0 MiB or more"),
    ("blobs_over_the_total",
     "struct.pack('>II', 2, 3) + b'{}' + (struct.pack('>I', 25 * 2**20) + bytes(25 * 2**20)) * 3",
     "too large: 75.0 MiB or more, at most 64.0 MiB"),
    ("deep_json", "struct.pack('>II', 100_000, 0) + b'[' * 100_000", "nested more than 200 levels deep"),
    ("wide_json", "struct.pack('>II', 1_800_001, 0) + b'[' + b'[],' * 599_999 + b'[]]'",
     "too large: more than 500000 values"),
    ("broken_json", "struct.pack('>II', 5, 0) + b'{nope'", "JSONDecodeError"),
    ("not_utf8", "struct.pack('>II', 4, 0) + b'\"\\xff\"x'", "UnicodeDecodeError"),
    ("not_a_dict", "struct.pack('>II', 3, 0) + b'[1]'", "something that is not an answer; do not write"),
]
TRICKLE = (JUDGE_FDS + "_make_loader = make_loader\n"
           "def make_loader(dataset, batch_size, shuffle=False):\n"
           "    doc = b'{\"ok\": 1}'.ljust(24)\n"
           "    _write(struct.pack('>II', len(doc), 0))\n"
           "    for i in range(len(doc)):\n"
           "        time.sleep(0.25)\n"
           "        _write(doc[i:i + 1])\n"
           "    return _make_loader(dataset, batch_size, shuffle)\n")
SNIPPETS = {
    **{name: snippet for name, snippet, _ in TOO_LARGE},
    **{name: loader_writing(payload) for name, payload, _ in GARBAGE},
    "json_over_the_cap": loader_returning("[1.2345678912345678e-100] * 200_000"),
    "garbage_at_import": JUDGE_FDS + "_write(struct.pack('>II', 0xFFFFFFFF, 0xFFFFFFFF))\n",
    "closes_fds_at_import": "import os\nos.closerange(0, 65536)\n",
    "closes_fds_in_make_loader": "import os\ndef make_loader(dataset, batch_size, shuffle=False):\n"
                                 "    os.closerange(0, 65536)\n",
    "trickles_a_frame": TRICKLE,
}


@pytest.fixture(scope="module")
def graded(course: Course, tmp_path_factory: pytest.TempPathFactory) -> Graded:
    """Every hostile student above in one class run: one judge, one sandbox, as a real class would be graded."""
    exercises = tuple(dataclasses.replace(ex, check_time_limit=2.0, time_limit=8.0, memory_bytes=256 * 2**20,
                                          processes=32) for ex in course.exercises)
    tight = dataclasses.replace(course, exercises=exercises)
    root = tmp_path_factory.mktemp("class")
    for name, snippet in SNIPPETS.items():
        (root / name).mkdir()
        (root / name / "pad_collate.py").write_text(REFERENCE + "\n\n# ---- hostile part ----\n" + snippet)
        (root / name / "distributed_partition.py").write_text(OTHER)
    results = grade_paths(tight, [root / name for name in SNIPPETS], ["pad_collate", "distributed_partition"])
    assert [r.submission for r in results] == list(SNIPPETS)
    return dict(zip(SNIPPETS, results, strict=True))


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_the_other_exercise_keeps_its_points(graded: Graded, name: str) -> None:
    other = exercise(graded[name], "distributed_partition")
    assert other.score == other.max_score, feedback(other)


def loader_checks(ex: ExerciseResult) -> list[tuple[str, str]]:
    """(status, feedback) of the checks that call make_loader; every other check must have passed."""
    assert ex.status == "graded", feedback(ex)
    hit: list[tuple[str, str]] = [(c.status, c.feedback) for c in ex.checks if "loader" in c.name]
    assert len(hit) == LOADER_CHECKS, feedback(ex)
    assert ex.score == ex.max_score - LOADER_CHECKS, feedback(ex)
    return hit


@pytest.mark.parametrize("name,says", [(name, says) for name, _, says in TOO_LARGE], ids=[n for n, _, _ in TOO_LARGE])
def test_value_too_large_or_deep_fails_its_own_checks(graded: Graded, name: str, says: str) -> None:
    for status, text in loader_checks(exercise(graded[name], "pad_collate")):
        assert status == "failed"
        assert text.startswith("your code returned a value that cannot be checked (") and says in text, text


def test_answer_over_the_json_cap_is_refused_by_the_judge(graded: Graded) -> None:
    """One batch of 200,000 floats passes the runner's encoder but makes 4.6 MiB of JSON: the judge refuses the
    frame from its header and stops that runner; the next check (three batches) gets a fresh one, whose encoder
    refuses 600,000 values itself."""
    ex = exercise(graded["json_over_the_cap"], "pad_collate")
    checks = loader_checks(ex)
    assert [status for status, _ in checks] == ["failed", "failed"]
    public = next(c.feedback for c in ex.checks if c.name == "make_loader returns a loader whose batches are padded")
    assert public == ("your code returned a value that cannot be checked (too large: 4.6 MiB of JSON, at most 4.0 MiB "
                      "(return tensors, not long lists))")
    assert any("too large: more than 500000 values" in text for _, text in checks), checks


@pytest.mark.parametrize("name,says", [(name, says) for name, _, says in GARBAGE], ids=[n for n, _, _ in GARBAGE])
def test_garbage_on_the_judges_socket_fails_its_own_checks(graded: Graded, name: str,
                                                           says: str) -> None:
    """make_loader writes a forged frame onto the runner's socket, then carries on as the reference."""
    for status, text in loader_checks(exercise(graded[name], "pad_collate")):
        assert status == "failed"
        assert says in text, text
        if "too large" not in says:
            assert text.startswith("your code sent the grader something that is not an answer"), text
            assert text.endswith("do not write to or close file descriptors your code did not open"), text


def test_garbage_at_import_fails_the_exercise(graded: Graded) -> None:
    ex = exercise(graded["garbage_at_import"], "pad_collate")
    assert ex.status == "crashed" and ex.score == 0
    assert "importing your module sent the grader something that is not an answer (too large" in ex.message


def test_closing_every_descriptor_at_import(graded: Graded) -> None:
    ex = exercise(graded["closes_fds_at_import"], "pad_collate")
    assert ex.status == "crashed" and ex.score == 0
    assert "closed or replaced the runner's connection to the grader" in ex.message, ex.message


def test_closing_every_descriptor_in_one_function(graded: Graded) -> None:
    for status, text in loader_checks(exercise(graded["closes_fds_in_make_loader"], "pad_collate")):
        assert status == "crashed"
        assert "closed or replaced the runner's connection to the grader" in text, text


def test_trickled_frame_cannot_stretch_the_check_time_limit(graded: Graded) -> None:
    """A frame sent a byte every 0.25 s (each recv() well within the limit) still ends at the check's 2 s."""
    hit = [c for c in exercise(graded["trickles_a_frame"], "pad_collate").checks if "loader" in c.name]
    assert [c.status for c in hit] == ["timeout"] * LOADER_CHECKS, [c.feedback for c in hit]
    assert all(c.duration < 4 for c in hit), [c.duration for c in hit]


# ------------------------------------------------------------------ the judge's end, without a sandbox


def serve_raw(chunks: list[tuple[float, bytes]]) -> tuple[Runner, threading.Thread, socket.socket]:
    """A Runner whose peer sends ``chunks`` (each after its delay in seconds), then keeps the socket open."""
    judge, peer = socket.socketpair()

    def send() -> None:
        try:
            for delay, data in chunks:
                time.sleep(delay)
                peer.sendall(data)
        except OSError:
            pass  # the judge gave up and closed its end

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return Runner(judge), thread, peer


def test_runner_deadline_covers_the_whole_answer() -> None:
    """One byte every 0.1 s keeps every recv() short; the 0.5 s limit is for the whole answer."""
    doc = b'{"ok": 1}'.ljust(40)
    runner, thread, peer = serve_raw([(0.0, struct.pack(">II", len(doc), 0))] + [(0.1, doc[i:i + 1])
                                                                                  for i in range(len(doc))])
    started = time.monotonic()
    try:
        with pytest.raises(RunnerTimeout):
            runner.request(None, [], 0.5)
        assert time.monotonic() - started < 1.5
    finally:
        runner.close()
        thread.join()
        peer.close()


@pytest.mark.parametrize("raw,cause", [
    (struct.pack(">II", 0xFFFFFFFF, 0), wire.TooLarge),
    (struct.pack(">II", 2, 1) + b"{}" + struct.pack(">I", 0xFFFFFFFF), wire.TooLarge),
    (struct.pack(">II", 3, 0) + b"[[[", wire.WireError),
], ids=["json_length", "blob_length", "broken_json"])
def test_runner_refusal_names_its_cause(raw: bytes, cause: type[Exception]) -> None:
    runner, thread, peer = serve_raw([(0.0, raw)])
    try:
        with pytest.raises(RunnerDied) as info:
            runner.request(None, [], 5.0)
        assert type(info.value.__cause__) is cause
    finally:
        runner.close()
        thread.join()
        peer.close()


def test_runner_closed_connection_has_no_wire_cause() -> None:
    runner, thread, peer = serve_raw([(0.0, struct.pack(">II", 10, 0) + b"{")])
    thread.join()
    peer.close()
    try:
        with pytest.raises(RunnerDied) as info:
            runner.request(None, [], 5.0)
        assert info.value.__cause__ is None
    finally:
        runner.close()
