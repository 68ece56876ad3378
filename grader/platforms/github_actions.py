"""GitHub Actions' step files: ``$GITHUB_STEP_SUMMARY`` and ``$GITHUB_OUTPUT``.

Both are files the runner names in the environment; a step appends to them.
Outside Actions (variable unset) nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path


def _append(variable: str, text: str) -> Path | None:
    target = os.environ.get(variable)
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(text)
    return Path(target)


def append_step_summary(markdown: str) -> Path | None:
    """Add Markdown to the job's summary page; the file written, or ``None`` outside Actions."""
    return _append("GITHUB_STEP_SUMMARY", markdown if markdown.endswith("\n") else markdown + "\n")


def set_output(name: str, value: str) -> Path | None:
    """Set the step output ``name`` (one line); the file written, or ``None`` outside Actions."""
    if "\n" in value or "\r" in value:
        raise ValueError(f"step output {name!r} must be a single line")
    return _append("GITHUB_OUTPUT", f"{name}={value}\n")
