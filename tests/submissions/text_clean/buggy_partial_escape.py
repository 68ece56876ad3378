# expect: '-' in `chars` must be taken literally
# score: 9
"""Escapes backslashes and brackets by hand but forgets '-' and '^'."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    if not chars:
        return normalize_spaces(text)
    safe = chars.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[")
    return normalize_spaces(re.sub("[" + safe + "]", " ", text))
