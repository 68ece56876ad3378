"""Public checks for text_clean: run them with `dlgrade check text_clean.py`."""

import pytest


@pytest.mark.points(1)
def test_normalize_spaces(student):
    """normalize_spaces collapses runs of spaces and trims the ends"""
    out = student.call("normalize_spaces", "  hello   world  ")
    assert isinstance(out, str), f"normalize_spaces must return a str, got {type(out).__name__}"
    assert out == "hello world", f"normalize_spaces('  hello   world  ') should be 'hello world', got {out!r}"


@pytest.mark.points(1)
def test_remove_chars(student):
    """remove_chars turns each listed character into a space"""
    out = student.call("remove_chars", "a,b.c", ",.")
    assert isinstance(out, str), f"remove_chars must return a str, got {type(out).__name__}"
    assert out == "a b c", f"remove_chars('a,b.c', ',.') should be 'a b c', got {out!r}"
