"""Hints are written, never computed: each ``pytest.mark.hint(...)`` of a check file holds one string literal.

A hint built from a name, an f-string or a call could carry an expected value
or a hidden input to students; a literal is exactly what the instructor wrote.
Read from the source (the judge sees only the value), for ``dlgrade validate``.
"""

from __future__ import annotations

import ast
from pathlib import Path


def hint_problems(path: Path, root: Path) -> list[str]:
    """``file:line: ...`` for each hint of ``path`` that is not one string literal."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return []  # a file that does not load is the judge's to report
    calls = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    lines = sorted(node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Attribute) and node.attr == "hint" and _is_mark(node.value)
                   and not _literal(calls.get(id(node))))
    return [f"{where}:{line}: a hint must be one string literal: @pytest.mark.hint(\"...\")" for line in lines]


def _is_mark(node: ast.expr) -> bool:
    """``pytest.mark`` or a bare ``mark`` (``from pytest import mark``)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "mark" and isinstance(node.value, ast.Name) and node.value.id == "pytest"
    return isinstance(node, ast.Name) and node.id == "mark"


def _literal(call: ast.Call | None) -> bool:
    return (call is not None and not call.keywords and len(call.args) == 1
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))
