# expect: your result still holds the Unicode whitespace
# score: 9
"""Lists the whitespace characters by hand: the ASCII ones only."""

import re


def normalize_spaces(text):
    return re.sub("[ \t\n\r\f\v]+", " ", text).strip(" \t\n\r\f\v")


def remove_chars(text, chars):
    table = {ord(c): " " for c in chars}
    return normalize_spaces(text.translate(table))
