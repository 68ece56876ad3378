"""What the judge learns from a submission's source without running it.

Parsing is not executing: ``ast.parse`` runs no student code, so these run in
the trusted judge.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

_SHOW = 100  # characters of the student's line shown with a syntax error


@dataclass(frozen=True)
class ForbiddenUse:
    """One use of a forbidden API."""

    api: str
    line: int


def _parse(source: str, filename: str = "<unknown>") -> ast.Module:
    # A student's "\d" is a DeprecationWarning/SyntaxWarning, which a warnings filter set to "error"
    # (python -W error, PYTHONWARNINGS) would turn into a SyntaxError: never let it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename)


def syntax_problem(source: str, filename: str) -> str | None:
    """A student-facing description of why ``source`` does not parse, or ``None``."""
    if "\0" in source:
        line = source.count("\n", 0, source.index("\0")) + 1
        return (f"{filename}, line {line}: the file contains a null byte (\\0), which Python source cannot hold; "
                "save it again as plain text")
    try:
        _parse(source, filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "somewhere"
        text = (exc.text or "").rstrip("\r\n")
        pointer = ""
        if text.strip() and exc.offset:
            stripped = text.lstrip()
            col = max(exc.offset - 1 - (len(text) - len(stripped)), 0)
            shown = stripped.expandtabs(4)
            col = len(stripped[:col].expandtabs(4))
            if len(shown) > _SHOW:  # a window around the caret, not a screenful of code
                start = min(max(col - _SHOW // 2, 0), len(shown) - _SHOW)
                shown = ("..." if start else "") + shown[start:start + _SHOW] + (
                    "..." if start + _SHOW < len(shown) else "")
                col = col - start + (3 if start else 0)
            pointer = f"\n    {shown}\n    {' ' * col}^"
        return f"{filename}, {where}: {exc.msg}{pointer}"
    except (RecursionError, MemoryError):
        return (f"{filename} could not be parsed: an expression or block is nested too deeply "
                "(inside too many others) for Python to read it")
    except ValueError as exc:
        return f"{filename} could not be parsed: {str(exc)[:200]}"
    return None


def forbidden_uses(source: str, apis: tuple[str, ...]) -> list[ForbiddenUse]:
    """Where ``source`` names one of ``apis`` (dotted paths), through any import alias.

    Resolves ``import a.b as x; x.C``, ``from a.b import C as D``, ``from a.b
    import *``, full dotted paths, names assigned from those (``m = a.b; m.C``),
    ``getattr(x, "C")``, ``vars(x)["C"]`` and ``x.__dict__["C"]`` with a
    constant name, and ``importlib.import_module("a.b")`` / ``__import__``.
    Code built at run time (``eval``, computed strings) is out of reach of any
    static check: the runner's tripwire (:mod:`grader.sandbox.tripwire`) sees
    those calls, and the judge gives one verdict for both.
    """
    if not apis:
        return []
    try:
        tree = _parse(source)
        return _forbidden_uses(tree, apis)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []


def _forbidden_uses(tree: ast.Module, apis: tuple[str, ...]) -> list[ForbiddenUse]:
    aliases: dict[str, str] = {}
    starred: set[str] = set()
    bound: set[str] = set()  # names the module defines itself (they shadow a star import)
    assigns: list[tuple[list[str], ast.expr]] = []
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
                            aliases.setdefault(leaf, api)
                            starred.add(leaf)
                else:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            assigns.append((names, node.value))
            bound.update(names)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) and node.value:
            assigns.append(([node.target.id], node.value))
            bound.add(node.target.id)
    for name in starred & bound:
        if aliases.get(name, "").endswith("." + name):
            del aliases[name]
    # m = torch.utils.data; s = m.DistributedSampler: follow assignments until nothing changes
    for _ in range(len(assigns) + 1):
        changed = False
        for names, value in assigns:
            dotted = _resolve(value, aliases)
            for name in names:
                if dotted and aliases.get(name) != dotted and name not in aliases:
                    aliases[name] = dotted
                    changed = True
        if not changed:
            break
    found: dict[tuple[str, int], ForbiddenUse] = {}
    for node in ast.walk(tree):
        used: list[str | None] = []
        if isinstance(node, ast.Import):
            used = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            used = [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, (ast.Attribute, ast.Name, ast.Call, ast.Subscript)):
            used = [_resolve(node, aliases)]
        for dotted in used:
            hit = _matching_api(dotted, apis)
            if hit:
                line = getattr(node, "lineno", 0)
                found[(hit, line)] = ForbiddenUse(hit, line)
    return sorted(found.values(), key=lambda f: (f.line, f.api))


def _matching_api(dotted: str | None, apis: tuple[str, ...]) -> str | None:
    if dotted:
        for api in apis:
            if dotted == api or dotted.startswith(api + "."):
                return api
    return None


def _resolve(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The dotted name an expression stands for, when it is statically known."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    base: str | None = None
    if isinstance(node, ast.Name):
        base = aliases.get(node.id)
    elif isinstance(node, ast.Call):
        base = _dynamic(node, aliases)
    elif isinstance(node, ast.Subscript):
        base = _subscript(node, aliases)
    if base is None:
        return None
    return ".".join([base, *reversed(parts)])


def _constant_str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dynamic(node: ast.Call, aliases: dict[str, str]) -> str | None:
    """``getattr(mod, "name")``, ``import_module("a.b")`` and ``__import__("a.b")`` with constant strings."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    target = _resolve(func, aliases) if isinstance(func, (ast.Name, ast.Attribute)) else None
    args = node.args
    if name == "getattr" and len(args) >= 2:
        attr = _constant_str(args[1])
        base = _resolve(args[0], aliases) if attr else None
        return f"{base}.{attr}" if base else None
    if (name == "import_module" or target == "importlib.import_module") and args:
        return _constant_str(args[0])
    if (name == "__import__" or target == "importlib.__import__") and args:
        module = _constant_str(args[0])
        if not module:
            return None
        fromlist = args[3] if len(args) >= 4 else next((k.value for k in node.keywords if k.arg == "fromlist"), None)
        empty = fromlist is None or (isinstance(fromlist, ast.Constant) and not fromlist.value) or (
            isinstance(fromlist, (ast.List, ast.Tuple)) and not fromlist.elts)
        return module.split(".")[0] if empty else module  # without a fromlist, __import__ returns the top package
    return None


def _subscript(node: ast.Subscript, aliases: dict[str, str]) -> str | None:
    """``vars(mod)["name"]`` and ``mod.__dict__["name"]`` with a constant name."""
    key = _constant_str(node.slice)
    if not key:
        return None
    value = node.value
    if isinstance(value, ast.Attribute) and value.attr == "__dict__":
        base = _resolve(value.value, aliases)
    elif (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "vars"
          and len(value.args) == 1):
        base = _resolve(value.args[0], aliases)
    else:
        return None
    return f"{base}.{key}" if base else None
