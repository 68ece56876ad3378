# expect: which is not a valid regex
# score: 9
"""Escapes `chars` correctly but builds '[]' when it is empty."""

import re


def normalize_spaces(text):
    return " ".join(text.split())


def remove_chars(text, chars):
    pattern = "[" + re.escape(chars) + "]"
    return normalize_spaces(re.sub(pattern, " ", text))
