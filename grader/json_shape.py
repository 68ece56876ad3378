"""How many values and how deep JSON text is, without parsing it.

``json.loads`` recurses once per nesting level and allocates an object per
value (up to ~25 times the text's size for ``[[],[],...]``), so the judge
measures untrusted JSON first. Brackets, commas and colons outside strings
bound the values a parser builds; strings are skipped in one linear pass.
"""

from __future__ import annotations

import re

import numpy as np

# A JSON string, or an unterminated one up to the end: it never fails to match, so the scan stays linear.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)


def _bare(text: bytes) -> bytes:
    return _STRING.sub(b'""', text)


def values(text: bytes) -> int:
    """Brackets, commas and colons outside strings: about as many objects as parsing ``text`` would build."""
    bare = _bare(text)
    return bare.count(b"[") + bare.count(b"{") + bare.count(b",") + bare.count(b":")


def depth(text: bytes) -> int:
    """The deepest nesting of brackets outside strings (as far as a parser would get before an error)."""
    codes = np.frombuffer(_bare(text), dtype=np.uint8)
    if not codes.size:
        return 0
    up = (codes == ord("[")) | (codes == ord("{"))
    down = (codes == ord("]")) | (codes == ord("}"))
    return max(int(np.cumsum(up.astype(np.int32) - down.astype(np.int32)).max()), 0)
