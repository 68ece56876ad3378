"""What every runner starts with, however early it was forked, and what cleaning up after it spares."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch
from conftest import ROOT, exercise, feedback

import grader
from grader.grading import grade_paths
from grader.sandbox.slot import ForkSlot, RunnerLimits

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.mark.skipif(not THP.exists() or "[never]" in THP.read_text(), reason="no transparent huge pages here")
def test_large_tensors_get_huge_pages(course, tmp_path):
    """The zygote scrubs os.environ; torch must have read THP_MEM_ALLOC_ENABLE before that (checks with
    large tensors take about twice as long without it)."""
    probe = ("\nimport torch\n_big = torch.ones(64 * 2**20, dtype=torch.uint8)\n"
             "_huge = [int(line.split()[1]) for line in open('/proc/self/smaps_rollup') "
             "if line.startswith('AnonHugePages:')]\n"
             "assert _huge and _huge[0] >= 2048, f'no huge pages: {_huge}'\n")
    (tmp_path / "text_clean.py").write_text((ROOT / "solutions" / "text_clean.py").read_text() + probe)
    (result,) = grade_paths(course, [tmp_path], ["text_clean"])
    ex = exercise(result, "text_clean")
    assert ex.score == ex.max_score, feedback(ex)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork slots are Linux only")
def test_cleaning_scratch_folders_spares_kept_paths_under_tmp(tmp_path):
    """/tmp is emptied after every exercise; a checkout or virtual environment under /tmp is bound back into
    it and must survive (an earlier version deleted it through the bind mount)."""
    assert str(tmp_path).startswith("/tmp/")
    kept = tmp_path / "checkout"
    kept.mkdir()
    (kept / "course.toml").write_text("x")
    keep = [kept, Path(sys.prefix), Path(sys.base_prefix), Path(torch.__file__).parent.parent,
            Path(grader.__file__).parent]
    slot = ForkSlot([], keep)
    try:
        for _ in range(3):  # both zygotes clean at least once
            runner = slot.start("junk", "open('/tmp/junk.txt', 'w').write('x')\n", RunnerLimits(2**30))
            doc, _ = runner.request(None, [], 60)
            assert doc.get("loaded"), doc
            runner.close()
            slot.stop(0)
    finally:
        slot.close()
    assert (kept / "course.toml").read_text() == "x"
