# expect: full marks
"""A character loop: whitespace via str.isspace, no regex and no split."""


def normalize_spaces(text):
    out = []
    pending = False
    for ch in text:
        if ch.isspace():
            pending = bool(out)
        else:
            if pending:
                out.append(" ")
                pending = False
            out.append(ch)
    return "".join(out)


def remove_chars(text, chars):
    wanted = set(chars)
    return normalize_spaces("".join(" " if ch in wanted else ch for ch in text))
