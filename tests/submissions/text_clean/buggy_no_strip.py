# expect: the result must have no leading or trailing space
# score: 6
"""Collapses every run of whitespace but keeps one space at either end."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text)


def remove_chars(text, chars):
    if chars:
        text = re.sub("[" + re.escape(chars) + "]", " ", text)
    return normalize_spaces(text)
