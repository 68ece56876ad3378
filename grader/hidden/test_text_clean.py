"""Hidden checks: text_clean (8 points; the public checks hold 2 more)."""

import pytest

from grader.checks import NotImplementedYet, StudentError


def normalized(text):
    return " ".join(text.split())


def removed(text, chars):
    return normalized("".join(" " if c in chars else c for c in text))


NAMES = {"\t": "tabs ('\\t')", "\n": "newlines ('\\n')", "\r": "carriage returns ('\\r')",
         "\f": "form feeds ('\\f')", "\v": "vertical tabs ('\\v')"}


def ask(student, name, *args, rule):
    """The student's answer; when their code raises, fail with ``rule`` (the rule the inputs exercise)."""
    try:
        out = student.call(name, *args)
    except NotImplementedYet:
        raise
    except StudentError as err:
        where = f", line {err.frames[-1]['line']}: {err.frames[-1]['code']}" if err.frames else ""
        raise AssertionError(f"{rule} (your code raised {err.type_name}: {err.message[:200]}{where})") from None
    assert isinstance(out, str), f"{name} must return a str, got {type(out).__name__}"
    return out


WHITESPACE_RULE = ("every run of whitespace (spaces, tabs, newlines, '\\r', Unicode spaces such as '\\u00a0') must "
                   "become one space, with none at either end")


@pytest.mark.points(1)
def test_tabs_and_newlines(student):
    """normalize_spaces: tabs and newlines are whitespace too"""
    for text in ("a\tb", "one\n\ntwo", "x\r\ny", "p \t\n q", "tab\t\tsep\fform\vvertical"):
        out = ask(student, "normalize_spaces", text, rule=WHITESPACE_RULE)
        left = [NAMES[c] for c in NAMES if c in out]
        if left:
            raise AssertionError(f"you collapse only spaces: your result still holds {', '.join(left)}. Every run of "
                                 "whitespace (spaces, tabs, newlines, '\\r', ...) must become one space: match them "
                                 "all with \\s+ in a regex, or split with str.split()")
        if "  " in out:
            raise AssertionError("each whitespace character became a space, but a run of several whitespace "
                                 "characters (a tab next to a newline, ...) must become one single space: use \\s+")
        assert out == normalized(text), WHITESPACE_RULE


@pytest.mark.points(1)
def test_unicode_spaces(student):
    """normalize_spaces: Unicode spaces (non-breaking, em, ideographic) are whitespace too"""
    for text in ("a\u00a0b", "x\u2003\u2003y", "p\u3000q", "p \u00a0 q", "line\u2028break"):
        out = ask(student, "normalize_spaces", text, rule=WHITESPACE_RULE)
        left = sorted({c for c in out if c.isspace() and c != " "})
        if left:
            shown = ", ".join(repr(c) if c in NAMES else f"'\\u{ord(c):04x}'" for c in left)
            raise AssertionError(f"your result still holds the Unicode whitespace {shown}: characters such as the "
                                 "non-breaking space '\\u00a0' are whitespace too. Do not list whitespace characters "
                                 "by hand: \\s in a regex and str.split() know them all")
        assert out == normalized(text), WHITESPACE_RULE


@pytest.mark.points(1)
def test_strips_the_ends(student):
    """normalize_spaces: no leading or trailing space, empty text stays empty"""
    for text in ("  lead", "trail  ", "  both  ", "single"):
        out = ask(student, "normalize_spaces", text, rule=WHITESPACE_RULE)
        if out != out.strip():
            raise AssertionError("the result must have no leading or trailing space: whitespace at either end "
                                 "disappears instead of becoming a space (strip the result)")
        assert out == normalized(text), WHITESPACE_RULE
    for text in ("", "   "):
        out = ask(student, "normalize_spaces", text,
                  rule="a text that is empty or only whitespace must become the empty string")
        assert out == "", "a text that is empty or only whitespace must become the empty string ''"


REPLACE_RULE = "every character of `chars` must become a space, then the spaces are normalized as in normalize_spaces"


def diagnose(out, text, chars):
    """Name the classic remove_chars mistake (other than special characters) that explains ``out``, if one does."""
    if out == normalized("".join(c for c in text if c not in chars)):
        return ("each character of `chars` must become a space, not disappear (then the spaces are normalized): "
                "remove_chars('a,b', ',') is 'a b', not 'ab'")
    if len(chars) > 1 and out == normalized(text.replace(chars, " ")):
        return ("every character of `chars` is replaced on its own, wherever it appears: `chars` is a set of "
                "characters, not a substring to look for")
    if out.strip() == removed(text, chars):
        return ("the result must have no leading or trailing space: normalize the spaces (which strips both ends) "
                "after replacing the characters")
    if out == "".join(" " if c in chars else c for c in normalized(text)):
        return ("normalize the spaces after replacing the characters, not before: a replaced character next to a "
                "space leaves two spaces")
    return None


@pytest.mark.points(1)
def test_replaces_with_a_space(student):
    """remove_chars: each character becomes a space, then spaces are normalized"""
    for text, chars in (("a,b;c", ",;"), ("x'y'z", "'"), ("one/two", "/"), ("a,,b", ","), ("a , b", ","),
                        (" @a! ", "@!")):  # no character here is special in a regex
        out = ask(student, "remove_chars", text, chars, rule=REPLACE_RULE)
        assert out == removed(text, chars), diagnose(out, text, chars) or REPLACE_RULE


ESCAPE = ("build the pattern with re.escape(chars) (or do without a regex, e.g. str.translate), so that every "
          "character of `chars` is taken literally")


def special_rule(chars):
    if "\\" in chars:
        return ("'\\' in `chars` must be taken literally, but inside a regex character class it escapes the next "
                "character ([\\d] means digits, and [\\] is not even a valid regex): " + ESCAPE)
    if "]" in chars or "[" in chars:
        return ("']' and '[' in `chars` must be taken literally, but inside a regex character class ']' ends the "
                "class early: " + ESCAPE)
    if "^" in chars:
        return ("'^' in `chars` must be taken literally, but at the start of a regex character class it negates the "
                "class ([^ab] matches everything except a and b; [^] is not a valid regex): " + ESCAPE)
    if "-" in chars:
        return ("'-' in `chars` must be taken literally, but between two characters of a regex character class it "
                "makes a range ([a-z] matches every lower-case letter): " + ESCAPE)
    return ("characters that are special in a regex ('.', '|', '*', '+', '?', '(', ')', '{', '$', ...) and characters "
            "outside ASCII must be taken literally: " + ESCAPE)


PLACEHOLDERS = "QXZJKVWY"


def check_literal(student, cases):
    """Each special character of ``chars`` must be treated exactly like an ordinary character.

    When an answer is wrong, the same call with every non-alphanumeric character of ``chars`` swapped for an
    unused letter tells two kinds of failure apart: an answer that changes with the swap is the special-character
    mistake this check is about; an answer that does not is a mistake another check names (this check then
    passes when that named mistake explains the answer, so one mistake does not cost every check).
    """
    for text, chars in cases:
        out = ask(student, "remove_chars", text, chars, rule=special_rule(chars))
        if out == removed(text, chars):
            continue
        free = iter([c for c in PLACEHOLDERS if c not in text and c not in chars])
        swap = {c: next(free) for c in dict.fromkeys(chars) if not (c.isascii() and c.isalnum())}
        table, back = str.maketrans(swap), {ord(v): k for k, v in swap.items()}
        plain = ask(student, "remove_chars", text.translate(table), chars.translate(table), rule=REPLACE_RULE)
        if plain.translate(back) != out:
            raise AssertionError(special_rule(chars))
        if diagnose(out, text, chars) is None:
            raise AssertionError(REPLACE_RULE)


@pytest.mark.points(1)
def test_dash_and_caret(student):
    """remove_chars: '-' and '^' are taken literally"""
    check_literal(student, [("3+4-5/6, ok.", "+-/"), ("abc-d", "a-c"), ("e-mail", "-"), ("x^2_y", "^_"),
                            ("^up^", "^")])


@pytest.mark.points(1)
def test_bracket_and_backslash(student):
    """remove_chars: ']', '[' and '\\' are taken literally"""
    check_literal(student, [("a[1] b[2]", "[]"), ("x]y", "]"), ("ba]c", "a]"), ("C:\\new\\file", "\\"),
                            ("a\\d1", "\\d")])


@pytest.mark.points(1)
def test_any_character(student):
    """remove_chars: regex metacharacters, spaces and non-ASCII characters are taken literally"""
    check_literal(student, [("a.b|c*d(e)f$g", ".|*()$"), ("1+1=2?", "+=?"), ("{x}&~#y", "{}&~#"),
                            ("naïve—café…", "—…"), ("a-b c", " -")])


EMPTY_RULE = ("with chars='' nothing is replaced, but the spaces are still normalized; a pattern built as "
              "'[' + chars + ']' is then '[]', which is not a valid regex: handle an empty `chars` separately")


@pytest.mark.points(1)
def test_empty_chars(student):
    """remove_chars: an empty `chars` only normalizes the spaces"""
    for text, chars in (("a  b ", ""), ("", ""), ("  x ", ""), ("", ",")):
        out = ask(student, "remove_chars", text, chars, rule=EMPTY_RULE)
        assert out == removed(text, chars), diagnose(out, text, chars) or EMPTY_RULE
