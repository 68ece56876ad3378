# expect: full marks
"""Escapes each character and joins them with '|'; compiles the whitespace pattern once."""

import re

WHITESPACE = re.compile(r"\s+")


def normalize_spaces(text):
    return WHITESPACE.sub(" ", text).strip()


def remove_chars(text, chars):
    if len(chars) > 0:
        pattern = "|".join(re.escape(c) for c in sorted(set(chars)))
        text = re.sub(pattern, " ", text)
    return normalize_spaces(text)
