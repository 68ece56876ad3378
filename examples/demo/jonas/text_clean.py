# HW3 ex9 - Jonas Weber
import re


def normalize_spaces(text):
    return re.sub(" +", " ", text).strip()


def remove_chars(text, chars):
    for c in chars:
        text = text.replace(c, " ")
    return normalize_spaces(text)
