"""What every runner starts with, however early it was forked, and what cleaning up after it spares."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import torch
from conftest import ROOT, run_cli

import grader
from grader.sandbox.layers.process import HUGE_PAGES
from grader.sandbox.slot import ForkSlot
from grader.sandbox.spec import RunnerLimits, RunnerSpec

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.mark.skipif(not THP.exists() or "[never]" in THP.read_text(), reason="no transparent huge pages here")
@pytest.mark.parametrize("isolation", ["fork", "spawn"])
def test_large_tensors_get_huge_pages(tmp_path, isolation):
    """The engine turns torch's huge pages on for every runner when the grader's environment does not
    (checks with large tensors take about twice as long without them): a fork runner inherits what the
    template read before the zygotes scrubbed os.environ, a spawned one gets it in its environment."""
    probe = ("\nimport torch\n_big = torch.ones(64 * 2**20, dtype=torch.uint8)\n"
             "_huge = [int(line.split()[1]) for line in open('/proc/self/smaps_rollup') "
             "if line.startswith('AnonHugePages:')]\n"
             "assert _huge and _huge[0] >= 2048, f'no huge pages: {_huge}'\n")
    (tmp_path / "text_clean.py").write_text((ROOT / "solutions" / "text_clean.py").read_text() + probe)
    env = {name: value for name, value in os.environ.items() if name != HUGE_PAGES}
    proc = run_cli("grade", str(tmp_path), "-e", "text_clean", "--isolation", isolation, "--json", "-", env=env)
    assert proc.returncode == 0, proc.stderr
    (ex,) = [e for e in json.loads(proc.stdout)["exercises"] if e["name"] == "text_clean"]
    assert ex["score"] == ex["max_score"], ex


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
            runner = slot.start(RunnerSpec("junk", "open('/tmp/junk.txt', 'w').write('x')\n", RunnerLimits(2**30, 64)))
            doc, _ = runner.request(None, [], 60)
            assert doc.get("loaded"), doc
            runner.close()
            slot.stop(0)
    finally:
        slot.close()
    assert (kept / "course.toml").read_text() == "x"
