"""Smoke test of the benchmark command: `python -m benchmarks --quick` runs and prints every table.

No timing is asserted here: the numbers depend on the machine. The quick run
grades two students (no hostile ones) with dlgrade (--jobs 1 and 2), the
in-process limit and the naive baseline, and sweeps ``--jobs 1,2`` on the
same two students in fresh processes; it takes about 60 s on two cores.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_quick_benchmark_prints_the_table(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--work", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for expected in [
        "**dlgrade grade-all**",
        "| 2 | 1 |",  # N = 2, --jobs 1
        "| 2 | 2 |",  # N = 2, --jobs 2, with its speed-up
        "x grading,",
        "**The limit**",
        "beyond bare fork ms/exercise",
        "**Per exercise**",
        "| pad_collate |",
        "**Naive baseline**",
        "**Notebooks**: skipped",
        "**Peers**: skipped",
        "**--jobs sweep**",
        "**Dask LocalCluster**: skipped (--quick)",
        "| jobs | students | wall s | to grading start s | to first result s | grading s | tail s |",
        "gradebooks identical: yes",
        "**Targets**",
        "within 1.2x the limit",
        "faster than the naive baseline",
        "`--jobs 2` >= 1.7x",
        "time linear in N",
        "peak memory of the process tree",
    ]:
        assert expected in out, f"{expected!r} missing from:\n{out}"
    raw = json.loads((tmp_path / "latest.json").read_text())
    assert [(r["n"], r["jobs"]) for r in raw["dlgrade"]] == [(2, 1), (2, 2)]
    assert all(r["students"] == 2 and r["returncode"] == 0 for r in raw["dlgrade"])
    assert raw["naive"][0]["lost"] == []
    assert [(r["jobs"], r["students"]) for r in raw["sweep"]["runs"]] == [(1, 2), (2, 2)]
    assert (tmp_path / "latest.md").read_text().strip() == out.strip()


def test_similarity_benchmark_finds_its_planted_copies(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.similarity", "--n", "20", "--copies", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "similarity: 20 students x 9 exercises in" in done.stdout
    assert done.stdout.count(": rank 1") == 2, done.stdout
