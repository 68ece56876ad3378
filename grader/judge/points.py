"""Do an exercise's checks add up to its manifest ``points``? Read from the check files' source, before grading.

A check is a top-level ``def test*`` or a ``test*`` method of a top-level
``class Test*``, worth the number literal of its ``@pytest.mark.points(n)``
(or of its class's). The checks of an exercise's public and hidden files plus
its ``forbidden_points`` must equal its ``points``, and every check needs the
marker. A file this reading cannot follow (parametrize, a marker that is not a
literal, other decorators on a check, inherited tests, tests made at import
time, ...) leaves its exercise to the judge, which checks the same once pytest
has collected the files (``GradingPlugin._check_markers``), mid-run.

This reads hidden check files: call it only after the sandbox slots are forked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from grader.course import Course, Exercise
from grader.exceptions import CourseError

_COLLECTED = ("test", "Test", "pytest_", "pytestmark", "__test__")  # names whose binding changes what pytest collects


class _Opaque(Exception):
    """The file does something this reading cannot follow: pytest's collection decides."""


def check_points(course: Course, exercises: Iterable[Exercise]) -> None:
    """``CourseError`` listing every exercise whose checks do not add up to its manifest points."""
    problems = [f"{name}: {line}" for name, lines in points_problems(course, exercises).items() for line in lines]
    if problems:
        raise CourseError("\n".join(problems))


def points_problems(course: Course, exercises: Iterable[Exercise]) -> dict[str, list[str]]:
    """Per exercise name, what is wrong with its checks' points; exercises without a problem are left out."""
    found: dict[str, list[str]] = {}
    for ex in exercises:
        try:
            checks = [c for f in ex.check_files(hidden=True) for c in _checks(f, course.root)]
        except _Opaque:
            continue
        problems = [f"{node}: every check needs @pytest.mark.points(n)" for node, points in checks if points is None]
        total = sum(points or 0.0 for _, points in checks) + ex.forbidden_points
        if not problems and abs(total - ex.points) > 1e-9:
            problems.append(f"checks are worth {total:g} points, the manifest says {ex.points:g}")
        if problems:
            found[ex.name] = problems
    return found


def _checks(path: Path, root: Path) -> list[tuple[str, float | None]]:
    """Each check of ``path``: its node id and points (None: no marker)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        raise _Opaque from None
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    found: dict[str, list[tuple[str, float | None]]] = {}  # by name: a later definition replaces an earlier one
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.pop(node.name, None)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _plain_fixtures(node)
            if node.name.startswith("pytest_"):
                raise _Opaque  # a hook such as pytest_generate_tests
            if node.name.startswith("test"):
                found[node.name] = [(f"{where}::{node.name}", _marked(node.decorator_list, None))]
        elif isinstance(node, ast.ClassDef):
            if node.name.startswith("Test"):
                found[node.name] = _class_checks(node, f"{where}::{node.name}")
        elif not _inert(node):
            raise _Opaque
    return [check for checks in found.values() for check in checks]


def _class_checks(node: ast.ClassDef, where: str) -> list[tuple[str, float | None]]:
    if node.bases or node.keywords:
        raise _Opaque  # inherited tests
    default = _marked(node.decorator_list, None)
    checks: dict[str, tuple[str, float | None]] = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            _plain_fixtures(item)
            if item.name in ("__init__", "__new__") or item.name.startswith("pytest_"):
                raise _Opaque  # pytest does not collect such a class, or a hook changes it
            if item.name.startswith("test"):
                checks[item.name] = (f"{where}::{item.name}", _marked(item.decorator_list, default))
        elif not _inert(item):
            raise _Opaque
    return list(checks.values())


def _inert(node: ast.stmt) -> bool:
    """A statement that cannot add or change checks: a docstring, an import or assignment of other names."""
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Import | ast.ImportFrom):
        names = [alias.asname or alias.name.split(".")[0] for alias in node.names]
    elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        if not all(isinstance(t, ast.Name | ast.Tuple | ast.List) for t in targets):
            return False
    else:
        return False
    return not any(name == "*" or name.startswith(_COLLECTED) for name in names)


def _plain_fixtures(node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """A parametrized fixture (``params=``) multiplies the checks that use it."""
    if any(isinstance(d, ast.Call) and any(k.arg == "params" for k in d.keywords) for d in node.decorator_list):
        raise _Opaque


def _marked(decorators: list[ast.expr], default: float | None) -> float | None:
    """The points of a check (or class) with these decorators; ``default`` without a points marker."""
    points: list[float] = []
    for decorator in decorators:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call else decorator
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute)
                and target.value.attr == "mark" and isinstance(target.value.value, ast.Name)
                and target.value.value.id == "pytest"):
            raise _Opaque  # a decorator that may wrap, rename or multiply the check
        if target.attr == "parametrize":
            raise _Opaque
        if target.attr == "points":
            points.append(_literal(call))
    if len(points) > 1:
        raise _Opaque
    return points[0] if points else default


def _literal(call: ast.Call | None) -> float:
    """The number a points marker gives (no argument: 0, as the judge reads it)."""
    if call is None or (not call.args and not call.keywords):
        return 0.0
    if call.keywords or isinstance(call.args[0], ast.Starred):
        raise _Opaque
    try:
        value = ast.literal_eval(call.args[0])
    except ValueError:
        raise _Opaque from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Opaque
    return float(value)
