"""The course manifest (``course.toml``): which exercises exist and how to grade them.

The engine knows exercises only through this file. Paths in it are relative
to the file's folder. Example::

    [course]
    name = "PyTorch data loading"
    hidden = ["grader/hidden", "solutions"]   # never visible to a runner
    preload = ["torchvision.transforms.v2"]   # optional: installed modules every runner starts with

    [defaults]                                 # any exercise key may be set here
    points = 10
    time_limit = 60          # seconds for one exercise, all checks
    check_time_limit = 20    # seconds for one check
    memory = "1GiB"
    processes = 64

    [[exercises]]
    name = "pad_collate"
    title = "collate_fn for variable-length sequences"
    directory = "exercises/04_pad_collate"
    public_checks = "exercises/04_pad_collate/test_public.py"
    hidden_checks = "grader/hidden/test_pad_collate.py"
    solution = "solutions/pad_collate.py"
    forbidden = ["torch.nn.functional.one_hot"]
    forbidden_points = 2
    defines = ["pad_collate", "make_loader"]   # optional; default: the stub's public functions and classes
    due = "2026-12-01 23:59"                   # optional; default: [defaults] due, else [course] due

A due date (``due`` in ``[course]``, ``[defaults]`` or an exercise) has an explicit zone: an offset
(``"2026-12-01T23:59:00+01:00"``, or the same TOML date-time unquoted) or a local time read in
``[course] timezone = "Europe/Berlin"`` (:mod:`grader.policy.dates`). ``[late]`` is the late policy
(:mod:`grader.policy.late`). Without a due date nothing is late; the mistakes in these keys are listed
together in one error.

:data:`EXERCISE_KEYS` lists every key an exercise (or ``[defaults]``) may set,
with its default. A key the loader does not know (at the top level, in
``[course]``, ``[defaults]`` or an exercise) is an error with a "did you
mean", so a typo such as ``time_limt`` cannot silently grade with the default.
The checks' ``@pytest.mark.points(n)`` plus ``forbidden_points`` must add up to
``points``: :func:`grader.judge.points.check_points` compares them before
grading starts.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from grader.exceptions import CourseError
from grader.policy.dates import parse_moment, parse_zone
from grader.policy.late import LatePolicy, read_late

MANIFEST = "course.toml"
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6, "mib": 2**20,
          "g": 2**30, "gb": 10**9, "gib": 2**30}
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_API = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
TABLES = ("course", "defaults", "exercises", "late")
COURSE_KEYS = ("name", "hidden", "preload", "due", "timezone")
# Every key an exercise (or [defaults]) may set, and its default; None: no default (required, optional or derived).
EXERCISE_KEYS: Mapping[str, object] = MappingProxyType({
    "name": None,
    "title": None,  # default: the name
    "directory": None,
    "public_checks": None,
    "hidden_checks": None,  # absent in a student bundle
    "solution": None,
    "points": 10,
    "time_limit": 60,
    "check_time_limit": 20,
    "memory": "1GiB",
    "processes": 64,
    "forbidden": (),
    "forbidden_points": 0,
    "defines": None,  # default: the stub's public top-level functions and classes
    "due": None,  # default: [course] due; none: never late
})
_ZONE_HINT = "add an offset, as in '2026-12-01T23:59:00+01:00', or set [course] timezone = 'Europe/Berlin'"
GRADING = MappingProxyType({"grading": True})  # field metadata: it decides a grade besides the student's file


@dataclass(frozen=True)
class Exercise:
    """One exercise as the manifest describes it."""

    name: str
    title: str
    directory: Path
    points: float = field(metadata=GRADING)
    time_limit: float = field(metadata=GRADING)
    check_time_limit: float = field(metadata=GRADING)
    memory_bytes: int = field(metadata=GRADING)
    processes: int = field(metadata=GRADING)
    public_checks: Path
    hidden_checks: Path | None  # None in a student bundle
    solution: Path | None
    forbidden: tuple[str, ...] = field(metadata=GRADING)
    forbidden_points: float = field(metadata=GRADING)
    defines: tuple[str, ...] = ()  # the names a submission provides (a homework notebook is matched on them)
    due: datetime | None = None  # aware; None: no due date, never late

    def check_files(self, hidden: bool) -> list[Path]:
        """The check files to run: public ones always, hidden ones when grading."""
        if not hidden:
            return [self.public_checks]
        if self.hidden_checks is None:
            raise CourseError(f"exercise {self.name!r} has no hidden checks here (a student bundle?): "
                              "use `dlgrade check`")
        return [self.public_checks, self.hidden_checks]


@dataclass(frozen=True)
class Course:
    """A loaded manifest."""

    name: str
    root: Path
    exercises: tuple[Exercise, ...]
    hidden_paths: tuple[Path, ...]
    preload: tuple[str, ...] = ()  # modules imported once per sandbox slot instead of once per exercise
    timezone: ZoneInfo | None = None  # [course] timezone: local due dates are read in it
    late: LatePolicy | None = None  # [late]; None: a late submission loses nothing

    def exercise(self, name: str) -> Exercise:
        """The exercise called ``name``; ``CourseError`` if there is none."""
        for ex in self.exercises:
            if ex.name == name:
                return ex
        raise CourseError(f"no exercise named {name!r} (known: {', '.join(self.names)})")

    @property
    def names(self) -> list[str]:
        """Exercise module names in manifest order."""
        return [ex.name for ex in self.exercises]

    @property
    def defines(self) -> dict[str, tuple[str, ...]]:
        """For each exercise, the names a submission of it defines."""
        return {ex.name: ex.defines for ex in self.exercises}


def parse_size(value: Any) -> int:
    """``"1GiB"``, ``"512 MB"`` or a number of bytes; always positive."""
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, float) and math.isfinite(value):
        size = int(value)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*", value) if isinstance(value, str) else None
        if not match or match.group(2).lower() not in _UNITS:
            raise CourseError(f"not a size: {value!r} (try '1GiB' or '512MiB')")
        size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size <= 0:
        raise CourseError(f"not a size: {value!r} (it must be more than 0 bytes)")
    return size


def find_manifest(start: Path | None = None) -> Path:
    """``$DLGRADE_COURSE``, else the nearest ``course.toml`` above ``start``, else the bundled course."""
    env = os.environ.get("DLGRADE_COURSE")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return folder / MANIFEST
    bundled = Path(__file__).resolve().parent.parent / MANIFEST
    if bundled.is_file():
        return bundled
    raise CourseError(f"no {MANIFEST} found in {here} or above; pass --course")


def load_course(path: Path) -> Course:
    """Read and validate a manifest; ``CourseError`` names what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CourseError(f"cannot read course manifest {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CourseError(f"course manifest {path} is not valid TOML: {exc}") from None
    _known(data, TABLES, str(path))
    root = path.resolve().parent
    meta = data.get("course", {})
    defaults = data.get("defaults", {})
    for key, table in (("course", meta), ("defaults", defaults)):
        if not isinstance(table, dict):
            raise CourseError(f"{path}: [{key}] must be a table")
    _known(meta, COURSE_KEYS, f"{path}: [course]")
    _known(defaults, EXERCISE_KEYS, f"{path}: [defaults]")
    entries = data.get("exercises")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise CourseError(f"{path}: no [[exercises]] entries")
    for entry in entries:
        _known(entry, EXERCISE_KEYS, f"{path}: exercise {entry.get('name')!r}")
    zone, late, dues = _policy(data, entries, path)
    builtin = {key: value for key, value in EXERCISE_KEYS.items() if value is not None}
    exercises = tuple(_exercise(root, {**builtin, **defaults, **entry}, path, due)
                      for entry, due in zip(entries, dues, strict=True))
    names = [ex.name for ex in exercises]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CourseError(f"{path}: exercise name {twice[0]!r} appears twice")
    hidden = meta.get("hidden", [])
    if isinstance(hidden, str):
        hidden = [hidden]
    if not isinstance(hidden, list) or not all(isinstance(p, str) for p in hidden):
        raise CourseError(f"{path}: [course] hidden must be a list of paths")
    preload = meta.get("preload", [])
    if not isinstance(preload, list) or not all(isinstance(m, str) and m.isascii() and
                                                all(part.isidentifier() for part in m.split(".")) for m in preload):
        raise CourseError(f"{path}: [course] preload must be a list of module names")
    return Course(str(meta.get("name", root.name)), root, exercises, tuple(root / p for p in hidden), tuple(preload),
                  zone, late)


def _known(table: dict[str, Any], keys: Iterable[str], where: str) -> None:
    """``CourseError`` for the first key of ``table`` that is not one of ``keys``, with the closest known key."""
    known = list(keys)
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            raise CourseError(f"{where}: unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))


def _policy(data: dict[str, Any], entries: list[dict[str, Any]],
            manifest: Path) -> tuple[ZoneInfo | None, LatePolicy | None, list[datetime | None]]:
    """The zone, the late policy and each exercise's due date; one ``CourseError`` lists every problem."""
    meta, defaults = data.get("course", {}), data.get("defaults", {})
    problems: list[str] = []
    zone = local = None  # local: the zone local due dates are read in
    if "timezone" in meta:
        try:
            zone = local = parse_zone(meta["timezone"])
        except ValueError as exc:
            problems.append(f"[course]: {exc}")
            local = ZoneInfo("UTC")  # a stand-in, so local due dates are not blamed for the bad zone

    def due(table: dict[str, Any], where: str, inherited: datetime | None) -> datetime | None:
        if "due" not in table:
            return inherited
        try:
            return parse_moment(table["due"], local, _ZONE_HINT)
        except ValueError as exc:
            problems.append(f"{where}: due {exc}")
            return None

    default_due = due(defaults, "[defaults]", due(meta, "[course]", None))
    dues = [due(entry, f"exercise {entry.get('name')!r}", default_due) for entry in entries]
    late, more = read_late(data["late"]) if "late" in data else (None, [])
    problems += more
    if len(problems) == 1:
        raise CourseError(f"{manifest}: {problems[0]}")
    if problems:
        raise CourseError(f"{manifest}: {len(problems)} problems with due dates and the late policy:\n"
                          + "\n".join(f"  - {p}" for p in problems))
    return zone, late, dues


def _exercise(root: Path, entry: dict[str, Any], manifest: Path, due: datetime | None) -> Exercise:
    """One exercise from its entry merged over ``[defaults]`` and the built-in defaults."""
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name) or keyword.iskeyword(name):
        raise CourseError(f"{manifest}: exercise name {name!r} is not a Python module name "
                          "(lowercase letters, digits and _)")

    def file(key: str, required: bool = True) -> Path | None:
        value = entry.get(key)
        if value is None:
            if required:
                raise CourseError(f"{manifest}: exercise {name!r} has no {key}")
            return None
        target = root / str(value)
        if not target.exists():
            raise CourseError(f"{manifest}: exercise {name!r}: {key} {value!r} does not exist")
        if key == "directory" and not target.is_dir():
            raise CourseError(f"{manifest}: exercise {name!r}: {key} {value!r} is not a folder")
        if key != "directory" and not target.is_file():
            raise CourseError(f"{manifest}: exercise {name!r}: {key} {value!r} is not a file")
        return target

    forbidden_list = entry["forbidden"]
    if isinstance(forbidden_list, str):
        forbidden_list = [forbidden_list]
    if not isinstance(forbidden_list, list | tuple) or not all(isinstance(a, str) and _API.fullmatch(a)
                                                               for a in forbidden_list):
        raise CourseError(f"{manifest}: exercise {name!r}: forbidden must be a list of dotted names "
                          "such as 'torch.nn.functional.one_hot'")
    try:
        memory = parse_size(entry["memory"])
    except CourseError as exc:
        raise CourseError(f"{manifest}: exercise {name!r}: memory is {exc}") from None
    try:
        forbidden = tuple(forbidden_list)
        ex = Exercise(
            name=name,
            title=str(entry.get("title", name)),
            directory=file("directory") or root,
            points=float(entry["points"]),
            time_limit=float(entry["time_limit"]),
            check_time_limit=float(entry["check_time_limit"]),
            memory_bytes=memory,
            processes=int(entry["processes"]),
            public_checks=file("public_checks") or root,
            hidden_checks=file("hidden_checks", required=False),
            solution=file("solution", required=False),
            forbidden=forbidden,
            forbidden_points=float(entry["forbidden_points"]),
            defines=_defines(entry, root, name, manifest),
            due=due,
        )
    except (TypeError, ValueError) as exc:
        raise CourseError(f"{manifest}: exercise {name!r}: {exc}") from None
    for key in ("points", "time_limit", "check_time_limit", "forbidden_points"):
        number = getattr(ex, key)
        if not math.isfinite(number) or number < 0 or (number == 0 and key in ("time_limit", "check_time_limit")):
            raise CourseError(f"{manifest}: exercise {name!r}: {key} = {number:g} is not allowed")
    if ex.processes < 1:
        raise CourseError(f"{manifest}: exercise {name!r}: processes must be at least 1")
    if ex.forbidden and ex.forbidden_points <= 0:
        raise CourseError(f"{manifest}: exercise {name!r} forbids APIs but gives forbidden_points = 0")
    if ex.forbidden_points > ex.points:
        raise CourseError(f"{manifest}: exercise {name!r}: forbidden_points is more than points")
    return ex


def _defines(entry: dict[str, Any], root: Path, name: str, manifest: Path) -> tuple[str, ...]:
    """The manifest's ``defines`` list, else the public top-level functions and classes of the stub."""
    given = entry.get("defines")
    if given is not None:
        if not isinstance(given, list) or not all(isinstance(n, str) and n.isidentifier() for n in given):
            raise CourseError(f"{manifest}: exercise {name!r}: defines must be a list of Python names")
        return tuple(given)
    stub = root / str(entry.get("directory", "")) / f"{name}.py"
    try:
        tree = ast.parse(stub.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return (name,)
    found = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
             and not node.name.startswith("_")]
    return tuple(found) or (name,)
