"""Exercise 9: cleaning text with regular expressions.

Implement ``normalize_spaces`` and ``remove_chars``; see README.md in this folder.
"""

from __future__ import annotations

import re


def normalize_spaces(text: str) -> str:
    """Replace every run of whitespace with one space, with no space at either end.

    Whitespace is every character that ``str.split()`` and the regex ``\\s``
    treat as whitespace: spaces, tabs, newlines, ``\\r``, and Unicode spaces
    such as the non-breaking space ``\\u00a0``.

    >>> normalize_spaces("  a\\t b\\n\\nc ")
    'a b c'
    """
    # BEGIN SOLUTION
    return re.sub(r"\s+", " ", text).strip()
    # END SOLUTION


def remove_chars(text: str, chars: str) -> str:
    """Replace every character of ``chars`` with a space, then normalize the spaces.

    Any character may appear in ``chars`` (``]``, ``^``, ``\\`` and ``-``
    too); ``chars`` may be empty (then only the spaces are normalized).

    >>> remove_chars("a,b;c", ",;")
    'a b c'
    """
    # BEGIN SOLUTION
    if chars:
        text = re.sub("[" + re.escape(chars) + "]", " ", text)
    return normalize_spaces(text)
    # END SOLUTION
