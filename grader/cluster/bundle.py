"""The course as a worker needs it: one deterministic tar of a manifest and the check files, and its sha256.

The bundle's manifest is written from the loaded :class:`~grader.course.Course` (paths in a manifest may
be absolute or reach outside its folder), keeping every field that decides a grade; due dates, the late
policy and solutions stay with the instructor, who applies the policy to the results. Each exercise's
check files go to ``NAME/public/`` and ``NAME/hidden/`` under the bundle's root. The same course gives
the same bytes (sorted members, no times, owners or modes of the instructor's machine), so the hash names
the course: a worker verifies it before it unpacks anything, and refuses work for another hash.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from grader.course import MANIFEST, Course, Exercise
from grader.exceptions import ClusterError

MAX_BUNDLE_BYTES = 256 * 2**20


@dataclass(frozen=True)
class CourseBundle:
    """A course's tar bytes and their sha256 (hex)."""

    data: bytes
    sha256: str


def make_bundle(course: Course) -> CourseBundle:
    """Pack what a worker needs to grade ``course`` (reads the check files)."""
    files: dict[str, bytes] = {}
    entries = tomlkit.aot()
    for ex in course.exercises:
        entry = _entry(ex)
        for kind, path in (("public", ex.public_checks), ("hidden", ex.hidden_checks)):
            if path is not None:
                member = f"{ex.name}/{kind}/{path.name}"
                files[member] = path.read_bytes()
                entry[f"{kind}_checks"] = member
        entries.append(tomlkit.item(entry))
    doc = tomlkit.document()
    doc.add("course", {"name": course.name, "preload": list(course.preload)})
    doc.add("exercises", entries)
    files[MANIFEST] = tomlkit.dumps(doc).encode()
    data = _tar(files)
    return CourseBundle(data, hashlib.sha256(data).hexdigest())


def unpack(data: bytes, sha256: str, folder: Path) -> Path:
    """Verify ``data`` against ``sha256``, then unpack it into ``folder``; return its manifest's path."""
    found = hashlib.sha256(data).hexdigest()
    if found != sha256:
        raise ClusterError(f"the course bundle's sha256 is {found[:12]}…, not {sha256[:12]}…: it was damaged on "
                           "the way; nothing was unpacked")
    if len(data) > MAX_BUNDLE_BYTES:
        raise ClusterError(f"the course bundle is {len(data)} bytes, more than {MAX_BUNDLE_BYTES}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        tar.extractall(folder, filter="data")
    return folder / MANIFEST


def _entry(ex: Exercise) -> dict[str, object]:
    """The manifest entry of ``ex``: every key that decides its grade, with values as loaded."""
    return {
        "name": ex.name, "title": ex.title, "directory": ex.name, "points": ex.points, "time_limit": ex.time_limit,
        "check_time_limit": ex.check_time_limit, "memory": ex.memory_bytes, "processes": ex.processes,
        "forbidden": list(ex.forbidden), "forbidden_points": ex.forbidden_points, "defines": list(ex.defines),
    }


def _tar(files: dict[str, bytes]) -> bytes:
    """A tar of ``files`` (member name: content), the same bytes for the same files."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:", format=tarfile.PAX_FORMAT) as tar:
        folders = sorted({str(parent) for name in files for parent in Path(name).parents if str(parent) != "."})
        for name in folders:
            tar.addfile(_info(name, tarfile.DIRTYPE, 0o755, 0))
        for name in sorted(files):
            tar.addfile(_info(name, tarfile.REGTYPE, 0o644, len(files[name])), io.BytesIO(files[name]))
    return out.getvalue()


def _info(name: str, kind: bytes, mode: int, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.size, info.mtime = kind, mode, size, 0
    return info
