"""Turn a path (file, folder or zip) into a :class:`Submission`: one source per exercise.

Nothing here executes student code. Zips are read member by member in memory
(never extracted), so ``..`` and absolute member names cannot write anywhere;
they are refused with a note all the same, as are oversized members.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_SOURCE_BYTES = 1 * 2**20
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_BYTES = 50 * 2**20
SOURCE_SUFFIXES = (".py",)
SKIP_PARTS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git", ".venv")


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


def load_submission(path: Path, exercises: list[str], student_id: str | None = None) -> Submission:
    """Read ``path`` and match its files to ``exercises`` by module name."""
    sid = student_id or path.name
    if not path.exists():
        return Submission(sid, {}, (f"{path.name} does not exist",))
    if path.is_dir():
        entries = list(_folder_entries(path))
    elif path.suffix.lower() == ".zip":
        entries, notes = _zip_entries(path)
        return _match(sid, entries, exercises, notes)
    else:
        entries = [(path.name, _read_capped(path))]
    return _match(sid, entries, exercises, [])


def _read_capped(path: Path) -> bytes | int:
    """The file's bytes, or its size when it is over the limit."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        return size
    return path.read_bytes()


def _folder_entries(root: Path) -> list[tuple[str, bytes | int]]:
    found = []
    for file in sorted(root.rglob("*")):
        rel = file.relative_to(root)
        if any(part in SKIP_PARTS or part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        if file.is_symlink():
            continue
        found.append((rel.as_posix(), _read_capped(file) if file.suffix.lower() in SOURCE_SUFFIXES else 0))
    return found


def _zip_entries(path: Path) -> tuple[list[tuple[str, bytes | int]], list[str]]:
    notes: list[str] = []
    entries: list[tuple[str, bytes | int]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return [], [f"{path.name} has {len(infos)} files; at most {MAX_ZIP_MEMBERS} are read"]
            total = 0
            for info in infos:
                name = info.filename
                pure = PurePosixPath(name.replace("\\", "/"))
                if info.is_dir():
                    continue
                if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                    notes.append(f"{name}: refused (a path outside the submission folder)")
                    continue
                if any(part in SKIP_PARTS or part.startswith(".") for part in pure.parts):
                    continue
                if pure.suffix.lower() not in SOURCE_SUFFIXES:
                    entries.append((pure.as_posix(), 0))
                    continue
                if info.file_size > MAX_SOURCE_BYTES:
                    entries.append((pure.as_posix(), info.file_size))
                    continue
                total += info.file_size
                if total > MAX_ZIP_TOTAL_BYTES:
                    notes.append(f"{path.name}: more than {MAX_ZIP_TOTAL_BYTES // 2**20} MiB of sources; the rest is ignored")
                    break
                with zf.open(info) as fh:
                    data = fh.read(MAX_SOURCE_BYTES + 1)
                entries.append((pure.as_posix(), data if len(data) <= MAX_SOURCE_BYTES else len(data)))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        return [], [f"{path.name} is not a readable zip file ({exc})"]
    return entries, notes


def decode_source(data: bytes, name: str) -> tuple[str | None, str | None]:
    """Decode as Python would (UTF-8, or a declared ``coding:``); return (text, problem)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding), None
    except (SyntaxError, LookupError):
        pass
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start: exc.start + 1].hex()
        return None, (f"{name} is not UTF-8 text (byte 0x{byte} on line {line}); "
                      "save it as UTF-8 in your editor and submit again")
    return None, f"{name} declares an encoding Python does not know; save it as UTF-8"


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _match(sid: str, entries: list[tuple[str, bytes | int]], exercises: list[str], notes: list[str]) -> Submission:
    files: dict[str, SourceFile] = {}
    near: dict[str, str] = {}
    by_normal = {_normal(ex): ex for ex in exercises}
    for rel, data in sorted(entries, key=lambda e: (e[0].count("/"), e[0])):
        pure = PurePosixPath(rel)
        if pure.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        stem = pure.stem
        if stem in exercises and pure.suffix == ".py":
            if stem in files:
                notes.append(f"{rel}: ignored, {files[stem].name} is graded for {stem}")
                continue
            if isinstance(data, int):
                files[stem] = SourceFile(stem, rel, None, f"{rel} is {data / 2**20:.1f} MiB; "
                                                       f"source files may be at most {MAX_SOURCE_BYTES // 2**20} MiB")
                continue
            text, problem = decode_source(data, rel)
            files[stem] = SourceFile(stem, rel, text, problem)
            continue
        guess = by_normal.get(_normal(stem)) or next(iter(difflib.get_close_matches(stem.lower(), exercises, 1, 0.8)), None)
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
