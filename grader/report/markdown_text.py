"""Student text inside Markdown (feedback ``.md``, step summary, Gradescope ``output_format: md``): shown, never run.

Renderers pass raw HTML through, so ``<``, ``>`` and ``&`` become entities
outside code; ``[``, ``]`` (links, images), ``|`` (table cells) and ``\\``
are backslash-escaped; text of several lines goes in a fenced code block
whose fence is longer than any run of backticks in it. Control characters
are made visible first.
"""

from __future__ import annotations

import re

from grader.report.control_chars import show_controls

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"[&<>\\\[\]|]")


def md_inline(text: str) -> str:
    """One line of Markdown showing ``text`` as it is (line breaks become escapes)."""
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m[0], "\\" + m[0]), show_controls(text, newlines=False))


def md_block(text: str) -> str:
    """A fenced code block showing ``text`` as it is, which the text cannot close."""
    text = show_controls(text)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))
    return f"{fence}\n{text}\n{fence}"


def md_text(text: str) -> str:
    """One line inline, several in a code block (keeps a student's source line and its caret aligned)."""
    return md_block(text) if "\n" in text else md_inline(text)
