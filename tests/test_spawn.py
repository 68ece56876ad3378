"""The spawn path (macOS, Windows, --isolation spawn): same protocol, same verdicts, on Linux in CI."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ROOT, exercise, feedback, survivors

from grader.grading import grade_paths

pytestmark = pytest.mark.slow


def test_spawn_gives_the_same_scores_as_fork(course):
    paths = [ROOT / "solutions", ROOT / "exercises" / "04_pad_collate"]
    picked = ["pad_collate", "iterable_shard"]  # a fresh interpreter per exercise costs seconds: two are enough
    forked = grade_paths(course, paths, picked, isolation="fork")
    spawned = grade_paths(course, paths, picked, isolation="spawn")
    for a, b in zip(forked, spawned, strict=True):
        assert [(e.name, e.score, e.status) for e in a.exercises] == [(e.name, e.score, e.status) for e in b.exercises]
        statuses = [[[c.status for c in e.checks] for e in r.exercises] for r in (a, b)]
        assert statuses[0] == statuses[1]
    assert spawned[0].score == spawned[0].max_score


def test_spawn_contains_an_endless_loop(course, tmp_path):
    fast = dataclasses.replace(course, exercises=tuple(
        dataclasses.replace(ex, check_time_limit=1.0, time_limit=4.0) for ex in course.exercises))
    (tmp_path / "pad_collate.py").write_text(
        "import os, ctypes\ndef pad_collate(batch, pad_value=0):\n    if os.fork() == 0:\n"
        "        if os.fork():\n            os._exit(0)\n"  # a daemon: its parent exits, it is orphaned
        "        os.setsid()\n        ctypes.CDLL(None).prctl(15, b'dlg-spawn-loop', 0, 0, 0)\n"
        "        while True:\n            pass\n"
        "    while True:\n        pass\n")
    (result,) = grade_paths(fast, [tmp_path], ["pad_collate"], isolation="spawn")
    ex = exercise(result, "pad_collate")
    assert ex.score == 0
    assert any(c.status == "timeout" for c in ex.checks), feedback(ex)
    assert not survivors("dlg-spawn-loop")
