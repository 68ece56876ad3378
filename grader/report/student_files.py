"""The file name stem of a student's outputs (``results/``, ``feedback/``, feedback notebooks, report links).

The stem depends on the student id alone, so a student's files keep their
names from one run to the next whoever else is in the class, and two ids never
share a stem, not even on a filesystem that ignores case. An id that is
already a plain lower-case name (``jo_smith``, ``doejane``) is its own stem;
any other (``jo smith``, ``Alice``, ``José``, ``..``, ``con``) becomes a
readable slug plus ``~`` and a hash of the exact id (``jo_smith~1f0e3c2a``).
Plain names never hold ``~``, so the two kinds cannot meet.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_PLAIN = re.compile(r"[a-z0-9_][a-z0-9@._-]{0,63}")
_NOT_SLUG = re.compile(r"[^A-Za-z0-9@._-]+")
_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                              *(f"lpt{i}" for i in range(10))})
SLUG_LENGTH = 48


def student_stem(student: str) -> str:
    """The stem of every file named after ``student``: the id itself when plain, else ``slug~hash``."""
    if _PLAIN.fullmatch(student) and not student.endswith(".") and not _device(student):
        return student
    ascii_text = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("_", ascii_text).strip("._-")[:SLUG_LENGTH].rstrip("._-") or "student"
    if _device(slug):
        slug = "_" + slug
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}~{digest}"


def _device(name: str) -> bool:
    """Windows refuses ``con``, ``nul.txt`` and the like as file names."""
    return name.split(".", 1)[0].lower() in _WINDOWS_DEVICES
