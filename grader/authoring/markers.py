"""Solution markers: one source file gives both the reference solution and the student stub.

Inside a function, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
(any indentation) are the solution. The stub replaces them with::

    raise NotImplementedError            # for a bare "# BEGIN SOLUTION"

or, when the marker carries a stub after a colon (``# BEGIN SOLUTION: return []``)::

    # TODO
    return []

Signatures, docstrings, imports and everything outside the markers are kept.
The format is line-based, like nbgrader's, so a hand-written scanner is the
simplest correct parser; ``ast`` is used only to check that a marker lies
inside a function.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

BEGIN = re.compile(r"^(?P<indent>[ \t]*)#\s*BEGIN SOLUTION\s*(?::\s*(?P<stub>.*\S))?\s*$")
END = re.compile(r"^[ \t]*#\s*END SOLUTION\s*$")


class MarkerError(Exception):
    """A malformed marker; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Region:
    """One solution region: 1-based line numbers of its markers and its stub line."""

    begin: int
    end: int
    indent: str
    stub: str | None


def regions(source: str, filename: str) -> list[Region]:
    """The solution regions of ``source``; ``MarkerError`` for unclosed, nested or stray markers."""
    found: list[Region] = []
    open_at: tuple[int, str, str | None] | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if open_at is not None:
                raise MarkerError(f"{filename}:{number}: BEGIN SOLUTION inside the region opened on line {open_at[0]}")
            open_at = (number, begin.group("indent"), begin.group("stub"))
        elif end:
            if open_at is None:
                raise MarkerError(f"{filename}:{number}: END SOLUTION without a BEGIN SOLUTION")
            found.append(Region(open_at[0], number, open_at[1], open_at[2]))
            open_at = None
        elif "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            raise MarkerError(f"{filename}:{number}: malformed marker (write '# BEGIN SOLUTION' or '# END SOLUTION')")
    if open_at is not None:
        raise MarkerError(f"{filename}:{open_at[0]}: BEGIN SOLUTION is never closed with END SOLUTION")
    _inside_functions(source, filename, found)
    return found


def _inside_functions(source: str, filename: str, found: list[Region]) -> None:
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise MarkerError(f"{filename}:{exc.lineno}: {exc.msg}") from None
    spans = [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for region in found:
        if not any(start < region.begin <= end for start, end in spans):
            raise MarkerError(f"{filename}:{region.begin}: solution markers must be inside a function body")


def make_stub(source: str, filename: str) -> str:
    """The student stub for a marked solution."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    cursor = 0
    for region in regions(source, filename):
        out.extend(lines[cursor: region.begin - 1])
        if region.stub is None:
            out.append(f"{region.indent}raise NotImplementedError\n")
        else:
            out.append(f"{region.indent}# TODO\n{region.indent}{region.stub}\n")
        cursor = region.end
    out.extend(lines[cursor:])
    return "".join(out)


def solution_lines(source: str, filename: str) -> list[str]:
    """The lines inside solution regions (what must never reach students)."""
    lines = source.splitlines()
    return [line for r in regions(source, filename) for line in lines[r.begin: r.end - 1]]
