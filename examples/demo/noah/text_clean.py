# Noah Fischer, HW 3, exercise 9
import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text)


def remove_chars(text, chars):
    if not chars:
        return normalize_spaces(text)
    return normalize_spaces(re.sub("[" + re.escape(chars) + "]", " ", text))
