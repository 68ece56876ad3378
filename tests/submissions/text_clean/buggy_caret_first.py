# expect: '^' in `chars` must be taken literally
# score: 9
"""Uses the "']' first, '-' last" trick for character classes but forgets that a leading '^' negates the class."""

import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    if not chars:
        return normalize_spaces(text)
    body = chars.replace("\\", "\\\\").replace("-", "")
    if "]" in body:
        body = "]" + body.replace("]", "")
    if "-" in chars:
        body += "-"
    return normalize_spaces(re.sub("[" + body + "]", " ", text))
