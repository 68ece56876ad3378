"""HW3 / exercise 9 (Adrian Popescu)"""


def normalize_spaces(text):
    return " ".join(text.split())


def remove_chars(text, chars):
    # no regex needed: translate every char of `chars` to a space
    return normalize_spaces(text.translate(str.maketrans(chars, " " * len(chars))))
