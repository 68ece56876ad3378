"""Exercise 9: cleaning text with regular expressions.

Implement ``normalize_spaces`` and ``remove_chars``; see README.md in this folder.
"""

from __future__ import annotations

import re


def normalize_spaces(text: str) -> str:
    """Replace every run of whitespace with one space, with no space at either end."""
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text: str, chars: str) -> str:
    """Replace every character of ``chars`` with a space, then normalize the spaces."""
    return normalize_spaces(text.replace(chars, " "))
