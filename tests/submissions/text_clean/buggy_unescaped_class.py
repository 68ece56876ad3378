# expect: build the pattern with re.escape(chars)
# score: 8
"""Puts `chars` into a character class as it is: '-', '^', ']' and '\\' keep their regex meaning."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    if not chars:
        return normalize_spaces(text)
    return normalize_spaces(re.sub(f"[{chars}]", " ", text))
