"""What every runner starts with, however early it was forked: torch's allocator settings of the grader."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, exercise, feedback

from grader.grading import grade_paths

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
