"""Who is in the class: one entry per student, from a folder or a zip of the class.

Each entry of the class folder is one student (a folder, a zip, or a single
``.py``/``.ipynb``; the id is the entry's name without suffix). A flat LMS
export (Canvas: ``name_[late_]userid_submissionid_original.py``) is regrouped
into one folder per student, with the original file names restored.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.exceptions import UsageError

MAX_CLASS_ZIP_BYTES = 2 * 2**30
MAX_CLASS_ZIP_MEMBERS = 200_000
STUDENT_SUFFIXES = (".py", ".ipynb", ".zip")
# Canvas: "doejane_12345_67890_pad_collate.py", "doejane_LATE_12345_67890_pad_collate-1.py"
CANVAS = re.compile(r"^(?P<student>[A-Za-z][A-Za-z0-9-]*)_(?:late_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
RESUBMISSION = re.compile(r"-\d+(?=\.[A-Za-z]+$)")
SKIP = ("__MACOSX", ".DS_Store", "__pycache__")


@dataclass(frozen=True)
class RosterEntry:
    """One student of the class: the id, and the submission on disk."""

    id: str
    path: Path


def roster(source: Path, workdir: Path) -> tuple[list[RosterEntry], list[str]]:
    """The students of ``source`` (a folder or a zip), and notes about skipped entries.

    ``workdir`` receives an extracted class zip and regrouped LMS files.
    """
    if not source.exists():
        raise UsageError(f"{source} does not exist")
    notes: list[str] = []
    if source.is_file():
        if source.suffix.lower() != ".zip":
            raise UsageError(f"{source} is neither a folder nor a .zip of the class")
        folder = workdir / "class"
        notes += extract_zip(source, folder)
    else:
        folder = source
    entries = sorted(p for p in folder.iterdir() if p.name not in SKIP and not p.name.startswith("."))
    if len(entries) == 1 and entries[0].is_dir() and not _looks_like_submission(entries[0]):
        entries = sorted(p for p in entries[0].iterdir() if p.name not in SKIP and not p.name.startswith("."))
    flat = [p for p in entries if p.is_file() and CANVAS.match(p.name)]
    students: dict[str, Path] = {}
    if flat and len(flat) == len([p for p in entries if p.is_file()]):
        students.update(_regroup(flat, workdir / "regrouped"))
        entries = [p for p in entries if not p.is_file()]
    for entry in entries:
        if entry.is_file() and entry.suffix.lower() not in STUDENT_SUFFIXES:
            notes.append(f"{entry.name}: skipped (not a folder, .zip, .py or .ipynb)")
            continue
        sid = entry.stem if entry.is_file() else entry.name
        if sid in students:
            notes.append(f"{entry.name}: skipped, a submission named {sid} was already taken")
            continue
        students[sid] = entry
    return [RosterEntry(sid, path) for sid, path in sorted(students.items())], notes


def _looks_like_submission(folder: Path) -> bool:
    """A lone folder holding .py files directly is one student's work, not a wrapper around the class."""
    return any(p.suffix == ".py" for p in folder.iterdir())


def _regroup(files: list[Path], dest: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(files):
        match = CANVAS.match(path.name)
        assert match is not None
        sid = match.group("student").lower()
        original = RESUBMISSION.sub("", match.group("file"))
        folder = dest / sid
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / original
        if target.exists():  # two uploads of one name: keep the later submission id
            continue
        shutil.copyfile(path, target)
        out[sid] = folder
    return out


def extract_zip(archive: Path, dest: Path) -> list[str]:
    """Extract a class zip safely: no ``..``, absolute paths or links; sizes capped. Returns notes."""
    notes: list[str] = []
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_CLASS_ZIP_MEMBERS:
                raise UsageError(f"{archive} has {len(infos)} members; at most {MAX_CLASS_ZIP_MEMBERS} are read")
            total = 0
            for info in infos:
                name = info.filename.replace("\\", "/")
                pure = PurePosixPath(name)
                if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                    notes.append(f"{info.filename}: refused (a path outside the class folder)")
                    continue
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    notes.append(f"{info.filename}: refused (a symbolic link)")
                    continue
                if info.is_dir():
                    continue
                total += info.file_size
                if total > MAX_CLASS_ZIP_BYTES:
                    notes.append(f"{archive.name}: over {MAX_CLASS_ZIP_BYTES // 2**30} GiB; the rest is not extracted")
                    break
                target = dest.joinpath(*pure.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UsageError(f"{archive} is not a readable zip file ({exc})") from None
    return notes
