"""What the judge learns from a submission's source without running it.

Parsing is not executing: ``ast.parse`` runs no student code, so these run in
the trusted judge.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class ForbiddenUse:
    """One use of a forbidden API."""

    api: str
    line: int


def syntax_problem(source: str, filename: str) -> str | None:
    """A student-facing description of why ``source`` does not parse, or ``None``."""
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "somewhere"
        text = (exc.text or "").rstrip("\n")
        pointer = ""
        if text and exc.offset:
            stripped = text.lstrip()
            col = max(exc.offset - 1 - (len(text) - len(stripped)), 0)
            pointer = f"\n    {stripped}\n    {' ' * col}^"
        return f"{filename}, {where}: {exc.msg}{pointer}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{filename} could not be parsed: {type(exc).__name__}: {str(exc)[:200]}"
    return None


def forbidden_uses(source: str, apis: tuple[str, ...]) -> list[ForbiddenUse]:
    """Where ``source`` names one of ``apis`` (dotted paths), through any import alias.

    Resolves ``import a.b as x; x.C``, ``from a.b import C as D``, ``from a.b
    import *``, full dotted paths, ``getattr(x, "C")`` with a constant name and
    ``importlib.import_module("a.b")``. Code built at run time (``eval``,
    computed strings) is out of reach of any static check.
    """
    if not apis:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if alias.name == "*":
                    for api in apis:
                        module, _, leaf = api.rpartition(".")
                        if module == node.module:
                            aliases[leaf] = api
                else:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found: dict[tuple[str, int], ForbiddenUse] = {}
    for node in ast.walk(tree):
        names: list[str | None] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, (ast.Attribute, ast.Name)):
            names = [_resolve(node, aliases)]
        elif isinstance(node, ast.Call):
            names = [_dynamic(node, aliases)]
        for dotted in names:
            api = _matching_api(dotted, apis)
            if api:
                found[(api, node.lineno)] = ForbiddenUse(api, node.lineno)
    return sorted(found.values(), key=lambda f: (f.line, f.api))


def _matching_api(dotted: str | None, apis: tuple[str, ...]) -> str | None:
    if dotted:
        for api in apis:
            if dotted == api or dotted.startswith(api + "."):
                return api
    return None


def _resolve(node: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(parts)])


def _dynamic(node: ast.Call, aliases: dict[str, str]) -> str | None:
    """``getattr(mod, "name")`` and ``import_module("a.b")`` with constant strings."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    args = node.args
    if name == "getattr" and len(args) >= 2 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
        base = _resolve(args[0], aliases)
        return f"{base}.{args[1].value}" if base else None
    if name in ("import_module", "__import__") and args and isinstance(args[0], ast.Constant):
        return str(args[0].value)
    return None
