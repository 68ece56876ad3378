"""Control characters in student text, made visible: ``\\x1b`` instead of an escape sequence a terminal would run.

What a student controls (printed output, exception messages, file names, the
student id) may hold C0/C1 controls (ESC starts ANSI and OSC sequences that
recolour, retitle, clear or hyperlink a terminal; CR and backspace overwrite
what was shown), bidirectional overrides that reorder text as it is displayed
(U+202A-U+202E, U+2066-U+2069), other invisible format characters, line
separators and lone surrogates (which cannot even be encoded for output).
Each becomes its Python escape, so nothing is lost and nothing acts.
"""

from __future__ import annotations

import re
import unicodedata

_PLAIN = re.compile("[\t\n\x20-\x7e]*")  # the common case, checked at C speed
_NAMED = {"\n": "\\n", "\r": "\\r"}
_SHOWN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # controls, format (bidi, zero-width), surrogates, separators


def show_controls(text: str, newlines: bool = True) -> str:
    """``text`` with every control character as its escape; tabs kept, newlines kept when ``newlines``."""
    if _PLAIN.fullmatch(text) and (newlines or "\n" not in text):
        return text
    text = text.replace("\r\n", "\n")
    keep = "\t\n" if newlines else "\t"
    return "".join(c if c in keep or unicodedata.category(c) not in _SHOWN else _escape(c) for c in text)


def _escape(c: str) -> str:
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
