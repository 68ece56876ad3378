# expect: each character of `chars` must become a space, not disappear
# score: 8
"""Deletes the characters instead of replacing them with a space, gluing the words together."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    for c in chars:
        text = text.replace(c, "")
    return normalize_spaces(text)
