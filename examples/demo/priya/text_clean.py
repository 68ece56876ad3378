"""Exercise 9: regex text cleaning.  -- Priya"""

import re

_WS = re.compile(r"\s+")


def normalize_spaces(text):
    return _WS.sub(" ", text).strip()


def remove_chars(text, chars):
    if chars:
        text = re.sub("[" + re.escape(chars) + "]", " ", text)
    return normalize_spaces(text)
