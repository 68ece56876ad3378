# expect: you collapse only spaces
# score: 8
"""Collapses runs of the space character only; tabs, newlines and Unicode spaces stay."""

import re


def normalize_spaces(text):
    return re.sub(" +", " ", text).strip(" ")


def remove_chars(text, chars):
    if chars:
        text = re.sub("[" + re.escape(chars) + "]", " ", text)
    return normalize_spaces(text)
