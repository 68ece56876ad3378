# Ben Carter - homework 3
import re


def normalize_spaces(text):
    return re.sub(r"\s+", " ", text).strip()


def remove_chars(text, chars):
    if not chars:
        return normalize_spaces(text)
    return normalize_spaces(re.sub("[" + re.escape(chars) + "]", "", text))
