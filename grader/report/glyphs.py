"""The mark shown before a check, per status: the same in the terminal, feedback files and step summary."""

from __future__ import annotations

from grader.results import CheckStatus

MARK: dict[CheckStatus, str] = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "crashed": "☠"}
