"""The engine stays lint-clean and fully typed (ruff and mypy, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = Path(sys.executable).parent


def test_ruff() -> None:
    paths = [p for p in ("grader", "tests", "benchmarks") if (ROOT / p).is_dir()]
    proc = subprocess.run([str(BIN / "ruff"), "check", *paths], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = subprocess.run([str(BIN / "mypy"), "grader"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
