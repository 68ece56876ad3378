# expect: normalize the spaces after replacing the characters, not before
# score: 9
"""Normalizes the spaces first, then replaces the characters (leaving double spaces)."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    text = normalize_spaces(text)
    if chars:
        text = re.sub("[" + re.escape(chars) + "]", " ", text)
    return text
