"""Turn a path (file, folder or zip) into a :class:`Submission`: one source per exercise.

Nothing here executes student code. Zips are read member by member in memory
(never extracted), so ``..`` and absolute member names cannot write anywhere;
they are refused with a note all the same, as are oversized members. Only the
files that are graded are ever read; everything else is matched by name.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import stat
import tokenize
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

MAX_SOURCE_BYTES = 1 * 2**20
MAX_ZIP_MEMBERS = 100_000  # files looked at in a zip or folder (only graded ones are read)
MAX_ZIP_TOTAL_BYTES = 50 * 2**20
SOURCE_SUFFIXES = (".py",)
SKIP_PARTS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git", ".venv")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SourceFile:
    """One exercise's source as submitted, or why it cannot be used."""

    exercise: str
    name: str  # as the student named it, relative to the submission
    text: str | None
    problem: str | None = None


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
    read: Callable[[], bytes]
    problem: str | None = None  # known before reading (an encrypted zip member)


def load_submission(path: Path, exercises: list[str], student_id: str | None = None) -> Submission:
    """Read ``path`` and match its files to ``exercises`` by module name."""
    sid = student_id or path.name
    try:
        if not path.exists():
            return Submission(sid, {}, (f"{path.name} does not exist",))
        if path.is_dir():
            entries, notes = _folder_entries(path)
            return _match(sid, entries, exercises, notes)
        if path.suffix.lower() == ".zip":
            return _load_zip(sid, path, exercises)
        size = path.stat().st_size
        notes = [] if path.suffix.lower() in SOURCE_SUFFIXES else [
            f"{path.name} is not a Python file: submit .py files, a folder of them, or a .zip"]
        return _match(sid, [_Entry(path.name, size, partial(_read_capped, path))], exercises, notes)
    except OSError as exc:
        return Submission(sid, {}, (f"{path.name} could not be read ({exc.strerror or exc})",))


def _read_capped(path: Path | str) -> bytes:
    """At most ``MAX_SOURCE_BYTES + 1`` bytes: enough to tell that a file is too big."""
    with open(path, "rb") as fh:
        return fh.read(MAX_SOURCE_BYTES + 1)


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


def _load_zip(sid: str, path: Path, exercises: list[str]) -> Submission:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return Submission(sid, {}, (f"{path.name} has {len(infos)} files; at most {MAX_ZIP_MEMBERS} are read",))
            entries, notes = _zip_entries(zf, infos)
            return _match(sid, entries, exercises, notes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        return Submission(sid, {}, (f"{path.name} is not a readable zip file ({exc})",))


def _zip_entries(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[list[_Entry], list[str]]:
    notes: list[str] = []
    entries: list[_Entry] = []
    for info in infos:
        name = info.filename
        if info.is_dir() or name.endswith("\\"):
            continue
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            notes.append(f"{name}: refused (a path outside the submission folder)")
            continue
        if _skipped(pure.parts):
            continue

        def read(info: zipfile.ZipInfo = info) -> bytes:
            with zf.open(info) as fh:
                return fh.read(MAX_SOURCE_BYTES + 1)

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
    elif suffixes and suffixes[0] in SOURCE_SUFFIXES:  # pad_collate.py.txt: an editor added an extension
        stem = pure.name.split(".", 1)[0]
    else:
        return None
    return by_normal.get(_normal(stem)) or next(iter(difflib.get_close_matches(stem.lower(), exercises, 1, 0.8)), None)


def _match(sid: str, entries: list[_Entry], exercises: list[str], notes: list[str]) -> Submission:
    files: dict[str, SourceFile] = {}
    near: dict[str, str] = {}
    by_normal = {_normal(ex): ex for ex in exercises}
    read_total = 0
    for entry in sorted(entries, key=lambda e: (e.name.count("/"), e.name)):
        rel = entry.name
        pure = PurePosixPath(rel)
        stem = pure.stem
        if stem in exercises and pure.suffix == ".py":
            if stem in files:
                notes.append(f"{rel}: ignored, {files[stem].name} is graded for {stem}")
                continue
            if entry.problem:
                files[stem] = SourceFile(stem, rel, None, entry.problem)
                continue
            if entry.size > MAX_SOURCE_BYTES or read_total > MAX_ZIP_TOTAL_BYTES:
                files[stem] = SourceFile(stem, rel, None, _too_big(rel, entry.size))
                continue
            try:
                data = entry.read()
            except Exception as exc:  # noqa: BLE001 - zlib, lzma, encrypted members, I/O errors...
                files[stem] = SourceFile(stem, rel, None, f"{rel} could not be read ({type(exc).__name__}: {exc})")
                continue
            read_total += len(data)
            if len(data) > MAX_SOURCE_BYTES:  # grew since it was listed, or its declared size was a lie
                files[stem] = SourceFile(stem, rel, None, _too_big(rel, max(entry.size, len(data))))
                continue
            text, problem = decode_source(data, rel)
            files[stem] = SourceFile(stem, rel, text, problem)
            continue
        guess = _near_miss(pure, exercises, by_normal)
        if guess:
            near.setdefault(guess, rel)
    for ex, rel in list(near.items()):
        if ex in files:
            del near[ex]
        else:
            notes.append(f"{rel}: not graded; did you mean {ex}.py? Rename it to {ex}.py")
    if not entries:
        notes.append("the submission is empty")
    return Submission(sid, files, tuple(notes), near)


def _too_big(rel: str, size: int) -> str:
    return (f"{rel} is {size / 2**20:.1f} MiB; source files may be at most {MAX_SOURCE_BYTES // 2**20} MiB")
