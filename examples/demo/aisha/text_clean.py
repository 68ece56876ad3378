"""Exercise 9: cleaning text with regular expressions."""

from __future__ import annotations

import re


def normalize_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text: str, chars: str) -> str:
    if not chars:
        return normalize_spaces(text)
    return normalize_spaces(re.sub("[" + chars + "]", " ", text))
