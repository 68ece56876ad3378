# expect: characters that are special in a regex
# score: 6
"""Joins the characters with '|' without escaping them."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    if chars:
        text = re.sub("|".join(chars), " ", text)
    return normalize_spaces(text)
