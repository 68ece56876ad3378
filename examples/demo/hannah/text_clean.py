"""Exercise 9: cleaning text with regular expressions."""

from __future__ import annotations

import re


def normalize_spaces(text: str) -> str:
    # \s also matches tabs, newlines and unicode spaces like \u00a0
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text: str, chars: str) -> str:
    if chars == "":
        return normalize_spaces(text)
    # escape! otherwise "-" and "^" mean something inside [...]
    pattern = "[" + re.escape(chars) + "]"
    return normalize_spaces(re.sub(pattern, " ", text))
