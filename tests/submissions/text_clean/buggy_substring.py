# expect: `chars` is a set of characters, not a substring
# score: 8
"""Replaces the whole string `chars` where it appears, instead of each of its characters."""


def normalize_spaces(text):
    return " ".join(text.split())


def remove_chars(text, chars):
    if chars:
        text = text.replace(chars, " ")
    return normalize_spaces(text)
