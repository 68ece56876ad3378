"""Turn a path (file, folder or zip) into a :class:`Submission`: one source per exercise.

Nothing here executes student code. Zips are read member by member in memory
(never extracted), so ``..`` and absolute member names cannot write anywhere;
they are refused with a note all the same, as are oversized members. Only the
files that are graded, and the other modules beside them (which the graded
files may import), are ever read; everything else is matched by name.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.metadata
import io
import keyword
import os
import re
import stat
import sys
import tokenize
import zipfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path, PurePosixPath

from grader.submission.notebook import MAX_NOTEBOOK_BYTES, read_notebook

MAX_SOURCE_BYTES = 1 * 2**20
MAX_ZIP_MEMBERS = 100_000  # files looked at in a zip or folder (only graded ones are read)
MAX_ZIP_TOTAL_BYTES = 50 * 2**20
SOURCE_SUFFIXES = (".py", ".ipynb")
SKIP_PARTS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git", ".venv")
MAX_HELPERS = 32  # other modules beside a graded file that it may import (each runner gets a copy)
MAX_HELPER_CHARS = 64 * 2**10  # their size in all
NOT_MODULES = frozenset({"conftest", "sitecustomize", "usercustomize", "__init__", "__main__"})  # tools' and Python's
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SourceFile:
    """One exercise's source as submitted, or why it cannot be used."""

    exercise: str
    name: str  # as the student named it, relative to the submission
    text: str | None  # for a notebook: its code cells as plain Python (for static checks)
    problem: str | None = None
    cells: tuple[tuple[int, str], ...] | None = None  # a notebook's code cells: (position, source)
    helpers: tuple[tuple[str, str], ...] = ()  # the other modules beside it: (module name, source)


@dataclass(frozen=True)
class Submission:
    """A student's files matched to exercises, plus notes about everything else."""

    id: str
    files: dict[str, SourceFile]
    notes: tuple[str, ...] = ()
    near_misses: dict[str, str] = field(default_factory=dict)  # exercise -> file that was probably meant


@dataclass(frozen=True)
class _Entry:
    """A file of the submission: its name, its (declared) size, and how to read it when it is graded."""

    name: str
    size: int
    read: Callable[[int], bytes]  # at most that many bytes
    problem: str | None = None  # known before reading (an encrypted zip member)


def load_submission(path: Path, exercises: list[str], student_id: str | None = None,
                    names: Mapping[str, Collection[str]] | None = None) -> Submission:
    """Read ``path`` and match its files to ``exercises`` by module name.

    ``names`` maps each exercise to the names it defines, to split a notebook
    with another name (``homework.ipynb``) across exercises.
    """
    sid = student_id or path.name
    try:
        if not path.exists():
            return Submission(sid, {}, (f"{path.name} does not exist",))
        if path.is_dir():
            entries, notes = _folder_entries(path)
            return _match(sid, entries, exercises, notes, names)
        if path.suffix.lower() == ".zip":
            return _load_zip(sid, path, exercises, names)
        size = path.stat().st_size
        notes = [] if path.suffix.lower() in SOURCE_SUFFIXES else [
            f"{path.name} is not a Python file or notebook: submit .py or .ipynb files, a folder of them, or a .zip"]
        return _match(sid, [_Entry(path.name, size, partial(_read_capped, path))], exercises, notes, names)
    except OSError as exc:
        return Submission(sid, {}, (f"{path.name} could not be read ({exc.strerror or exc})",))


def _read_capped(path: Path | str, limit: int) -> bytes:
    """At most ``limit`` bytes: the cap plus one is enough to tell that a file is too big."""
    with open(path, "rb") as fh:
        return fh.read(limit)


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(part in SKIP_PARTS or part.startswith(".") for part in parts)


def _folder_entries(root: Path) -> tuple[list[_Entry], list[str]]:
    """Regular files under ``root``; hidden and tool folders are not entered, symlinks not followed."""
    found: list[_Entry] = []
    notes: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _skipped((d,)))
        rel_folder = Path(folder).relative_to(root)
        for name in sorted(files):
            if _skipped((name,)):
                continue
            full = os.path.join(folder, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):  # symlinks, fifos, devices: never opened
                continue
            if len(found) >= MAX_ZIP_MEMBERS:
                notes.append(f"more than {MAX_ZIP_MEMBERS} files; the rest is ignored")
                return found, notes
            found.append(_Entry((rel_folder / name).as_posix(), info.st_size, partial(_read_capped, full)))
    return found, notes


def _load_zip(sid: str, path: Path, exercises: list[str], names: Mapping[str, Collection[str]] | None) -> Submission:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return Submission(sid, {}, (f"{path.name} has {len(infos)} files; at most {MAX_ZIP_MEMBERS} are read",))
            entries, notes = _zip_entries(zf, infos)
            return _match(sid, entries, exercises, notes, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        return Submission(sid, {}, (f"{path.name} is not a readable zip file ({exc})",))


def _zip_entries(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[list[_Entry], list[str]]:
    notes: list[str] = []
    entries: list[_Entry] = []
    for info in infos:
        name = info.filename
        if not name or info.is_dir() or name.endswith("\\"):  # zipfile cuts a name at a NUL byte: it may be empty
            continue
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            notes.append(f"{name}: refused (a path outside the submission folder)")
            continue
        if _skipped(pure.parts):
            continue

        def read(limit: int, info: zipfile.ZipInfo = info) -> bytes:
            with zf.open(info) as fh:
                return fh.read(limit)

        problem = (f"{pure.as_posix()} is encrypted in the zip; zip it again without a password"
                   if info.flag_bits & 0x1 else None)
        entries.append(_Entry(pure.as_posix(), info.file_size, read, problem))
    return entries, notes


def decode_source(data: bytes, name: str) -> tuple[str | None, str | None]:
    """Decode as Python would (UTF-8, or a declared ``coding:``); return (text, problem)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        # Either bytes that are not UTF-8 in the first two lines, or a bad coding declaration.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, _not_text(data, exc, name, "utf-8")
        return None, (f"{name} declares an encoding Python does not know (or one that contradicts its "
                      "UTF-8 byte-order mark); remove the coding line and save it as UTF-8")
    body = data
    if encoding == "utf-8-sig":
        encoding, body = "utf-8", data[len(_BOM):] if data.startswith(_BOM) else data
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, _not_text(body, exc, name, encoding)
    except LookupError:
        return None, f"{name} declares an encoding Python does not know; save it as UTF-8"


def _not_text(data: bytes, exc: UnicodeDecodeError, name: str, encoding: str) -> str:
    line = data[: exc.start].count(b"\n") + 1
    byte = data[exc.start: exc.start + 1].hex()
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        return (f"{name} is not UTF-8 text: byte 0x{byte} on line {line}; "
                "save it as UTF-8 in your editor and submit again")
    return (f"{name} is not valid {encoding} text, the encoding its coding line declares: byte 0x{byte} on line "
            f"{line}; remove the coding line and save it as UTF-8")


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _near_miss(pure: PurePosixPath, exercises: list[str], by_normal: dict[str, str]) -> str | None:
    """The exercise a misnamed file was probably meant for."""
    suffixes = [s.lower() for s in pure.suffixes]
    if pure.suffix.lower() in SOURCE_SUFFIXES:
        stem = pure.stem
    elif suffixes and suffixes[0] == ".py":  # pad_collate.py.txt: an editor added an extension
        stem = pure.name.split(".", 1)[0]
    else:
        return None
    return by_normal.get(_normal(stem)) or next(iter(difflib.get_close_matches(stem.lower(), exercises, 1, 0.8)), None)


def _match(sid: str, entries: list[_Entry], exercises: list[str], notes: list[str],
           names: Mapping[str, Collection[str]] | None = None) -> Submission:
    """Files named after an exercise first (``.py`` before ``.ipynb``); then any other notebook is graded
    for every exercise still missing whose names it defines (a whole homework in one notebook)."""
    files: dict[str, SourceFile] = {}
    near: dict[str, str] = {}
    by_normal = {_normal(ex): ex for ex in exercises}
    budget = [MAX_ZIP_TOTAL_BYTES]
    ordered = sorted(entries, key=lambda e: (e.name.count("/"), PurePosixPath(e.name).suffix != ".py", e.name))
    homework: list[_Entry] = []
    for entry in ordered:
        pure = PurePosixPath(entry.name)
        stem, suffix = pure.stem, pure.suffix
        if stem in exercises and suffix in SOURCE_SUFFIXES:
            if stem in files:
                notes.append(f"{entry.name}: ignored, {files[stem].name} is graded for {stem}")
            else:
                files[stem] = _read_source(entry, stem, budget) if suffix == ".py" else _read_notebook(
                    entry, stem, budget, notes)
            continue
        if suffix == ".ipynb":
            homework.append(entry)
            continue
        guess = _near_miss(pure, exercises, by_normal)
        if guess:
            near.setdefault(guess, entry.name)
    for entry in homework:
        _split_homework(entry, exercises, names or {ex: (ex,) for ex in exercises}, files, budget, notes, near)
    for ex, rel in list(near.items()):
        if ex in files:
            del near[ex]
        else:
            right = ex + (".ipynb" if ".ipynb" in [x.lower() for x in PurePosixPath(rel).suffixes] else ".py")
            notes.append(f"{rel}: not graded; did you mean {right}? Rename it to {right}")
    if not entries:
        notes.append("the submission is empty")
    return Submission(sid, _with_helpers(files, entries, exercises, budget, notes), tuple(notes), near)


def _with_helpers(files: dict[str, SourceFile], entries: list[_Entry], exercises: list[str], budget: list[int],
                  notes: list[str]) -> dict[str, SourceFile]:
    """Give each graded file the other modules of its folder, so that ``from helpers import x`` works.

    Exercise modules are graded on their own and are not among them. A module
    named like a library (``torch.py``, ``json.py``) is left out with a note:
    it must not stand in for the real one. Tool files (``conftest.py``,
    ``sitecustomize.py``) are not the submission's modules and are ignored.
    """
    modules: dict[PurePosixPath, dict[str, str]] = {PurePosixPath(source.name).parent: {} for source in files.values()}
    over: list[str] = []
    for entry in entries:
        pure = PurePosixPath(entry.name)
        found = modules.get(pure.parent)
        if found is None or pure.suffix != ".py" or not pure.stem.isidentifier() or keyword.iskeyword(pure.stem) \
                or pure.stem in NOT_MODULES or pure.stem in exercises:
            continue
        if _library(pure.stem):
            notes.append(f"{entry.name}: your other files cannot import it while grading: `{pure.stem}` is the name "
                         "of a library module; rename it")
            continue
        text, problem = _helper_text(entry, budget)
        if text is None:
            notes.append(f"{entry.name}: your other files cannot import it while grading ({problem})")
        elif len(found) >= MAX_HELPERS or sum(map(len, found.values())) + len(text) > MAX_HELPER_CHARS:
            over.append(entry.name)
        else:
            found[pure.stem] = text
    if over:
        notes.append(f"{', '.join(over[:5])}{' and more' if len(over) > 5 else ''}: your other files cannot import "
                     f"them while grading: at most {MAX_HELPERS} modules ({MAX_HELPER_CHARS // 1024} KiB in all) "
                     "beside them can be")
    return {ex: dataclasses.replace(source, helpers=tuple(modules[PurePosixPath(source.name).parent].items()))
            for ex, source in files.items()}


def _helper_text(entry: _Entry, budget: list[int]) -> tuple[str | None, str | None]:
    data, problem = _read(entry, MAX_SOURCE_BYTES, budget)
    return decode_source(data, entry.name) if data is not None else (None, problem)


def _library(name: str) -> bool:
    """Whether ``name`` is a module of the standard library or of an installed package."""
    return name in sys.stdlib_module_names or name in sys.builtin_module_names or name in _installed()


@cache
def _installed() -> frozenset[str]:
    """Top-level module names of the installed distributions (read once: it takes a moment)."""
    return frozenset(importlib.metadata.packages_distributions()) | {"grader"}


def _read(entry: _Entry, cap: int, budget: list[int]) -> tuple[bytes | None, str | None]:
    """The entry's bytes within the per-file cap and the submission's total budget, or a problem."""
    if entry.problem:
        return None, entry.problem
    if entry.size > cap or budget[0] < 0:
        return None, _too_big(entry.name, entry.size, cap)
    try:
        data = entry.read(cap + 1)
    except Exception as exc:  # noqa: BLE001 - zlib, lzma, encrypted members, I/O errors...
        return None, f"{entry.name} could not be read ({type(exc).__name__}: {exc})"
    budget[0] -= len(data)
    if len(data) > cap:  # grew since it was listed, or its declared size was a lie
        return None, _too_big(entry.name, max(entry.size, len(data)), cap)
    return data, None


def _read_source(entry: _Entry, exercise: str, budget: list[int]) -> SourceFile:
    data, problem = _read(entry, MAX_SOURCE_BYTES, budget)
    if data is None:
        return SourceFile(exercise, entry.name, None, problem)
    text, problem = decode_source(data, entry.name)
    return SourceFile(exercise, entry.name, text, problem)


def _read_notebook(entry: _Entry, exercise: str, budget: list[int], notes: list[str]) -> SourceFile:
    data, problem = _read(entry, MAX_NOTEBOOK_BYTES, budget)
    if data is None:
        return SourceFile(exercise, entry.name, None, problem)
    notebook, problem = read_notebook(data, entry.name)
    if notebook is None:
        return SourceFile(exercise, entry.name, None, problem)
    notes.extend(n for n in notebook.notes if n not in notes)
    return SourceFile(exercise, entry.name, notebook.python(), None, notebook.cells)


def _split_homework(entry: _Entry, exercises: list[str], names: Mapping[str, Collection[str]],
                    files: dict[str, SourceFile], budget: list[int], notes: list[str], near: dict[str, str]) -> None:
    """Grade a notebook with another name for every exercise still missing whose names it defines."""
    missing = [ex for ex in exercises if ex not in files]
    if not missing:
        notes.append(f"{entry.name}: not graded, every exercise already has a file")
        return
    data, problem = _read(entry, MAX_NOTEBOOK_BYTES, budget)
    notebook, problem = read_notebook(data, entry.name) if data is not None else (None, problem)
    if notebook is None:
        notes.append(f"{entry.name}: not graded ({problem})")
        return
    defined = notebook.defines()
    covered = [ex for ex in missing if defined & set(names.get(ex, (ex,)))]
    for ex in covered:
        files[ex] = SourceFile(ex, entry.name, notebook.python(), None, notebook.cells)
        near.pop(ex, None)
    notes.extend(n for n in notebook.notes if n not in notes)
    if covered:
        notes.append(f"{entry.name}: graded for {', '.join(covered)} (the exercises whose names it defines)")
    else:
        notes.append(f"{entry.name}: not graded; it defines none of the exercises' functions "
                     f"(name it after an exercise, e.g. {missing[0]}.ipynb)")


def _too_big(rel: str, size: int, cap: int = MAX_SOURCE_BYTES) -> str:
    kind = "notebooks" if rel.lower().endswith(".ipynb") else "source files"
    return f"{rel} is {size / 2**20:.1f} MiB; {kind} may be at most {cap // 2**20} MiB"
