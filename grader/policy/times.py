"""When each student submitted, read from the source that knows, and always saying which source that was.

- Gradescope: ``created_at`` of ``submission_metadata.json`` (the autograder's; an offset date-time).
- A git repository (a Classroom checkout): the committer date of the last commit. The student's clock sets
  it, so a push time from the instructor's times file is the better source when there is one.
- A times file from the instructor: CSV with ``student`` and ``submitted_at`` (or ``push_time``, as a list
  of Classroom pushes gives it), each with an offset (or read in a zone given with it); the latest row of a
  student counts.
- Canvas: a download marks late files (``doejane_LATE_1234_5678_pad_collate.py``) but carries no time, so
  it gives no time, only a note saying to give a times file.
- File modification times only when asked (``mtime``), and flagged as not a real submission time.

A student without a time gets ``at=None``, source ``unknown`` and a note saying why.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TextIO

from grader.exceptions import UsageError
from grader.policy.csv_input import read_csv
from grader.policy.dates import parse_moment

UNKNOWN = "unknown"
MTIME = "file mtime (fallback: not a real submission time)"
GRADESCOPE = "submission_metadata.json"
GIT_TIMEOUT = 10.0  # seconds for one git log
TIME_COLUMNS = ("submitted_at", "push_time")
_CANVAS = re.compile(r"^[A-Za-z][A-Za-z0-9-]*_(?P<late>late_)?\d+_\d+_.", re.IGNORECASE)
_NO_TIME = "give --times FILE (student,submitted_at)"


@dataclass(frozen=True)
class SubmissionTime:
    """When a submission was made (aware; ``None``: not known), where that came from, and any caveat."""

    at: datetime | None
    source: str
    note: str = ""


def times_for(students: dict[str, Path], mode: str | Path, zone: tzinfo | None = None) -> dict[str, SubmissionTime]:
    """Each student's submission time. ``mode``: ``"auto"`` (Gradescope metadata in the submission folder,
    else its git repository, else a Canvas late flag or nothing), ``"mtime"``, or the path of a times file
    (local times in it are read in ``zone``)."""
    if mode == "auto" and not isinstance(mode, Path):
        return {student: auto_time(path) for student, path in students.items()}
    if mode == "mtime" and not isinstance(mode, Path):
        return {student: mtime_time(path) for student, path in students.items()}
    table = read_times(Path(mode), zone)
    missing = SubmissionTime(None, UNKNOWN, f"not in the times file {Path(mode).name}")
    return {student: table.get(student, missing) for student in students}


def auto_time(path: Path) -> SubmissionTime:
    """The time a submission carries: Gradescope metadata, else the last commit, else none (with why)."""
    if path.is_dir() and (path / GRADESCOPE).is_file():
        return gradescope_time(path / GRADESCOPE)
    if path.is_dir() and (path / ".git").exists():
        return git_time(path)
    names = [path.name, *(p.name for p in path.iterdir())] if path.is_dir() else [path.name]
    return canvas_time(names) or SubmissionTime(
        None, UNKNOWN, f"the submission carries no time (no Gradescope metadata, no git repository): {_NO_TIME}")


def gradescope_time(metadata: Path) -> SubmissionTime:
    """``created_at`` of Gradescope's ``submission_metadata.json``."""
    try:
        data = json.loads(metadata.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return SubmissionTime(None, UNKNOWN, f"{metadata.name} is unreadable ({exc})")
    created = data.get("created_at") if isinstance(data, dict) else None
    if created is None:
        return SubmissionTime(None, UNKNOWN, f"{metadata.name} has no created_at")
    try:
        return SubmissionTime(parse_moment(created), f"gradescope {metadata.name}")
    except ValueError as exc:
        return SubmissionTime(None, UNKNOWN, f"{metadata.name}: created_at {exc}")


def git_time(repo: Path, timeout: float = GIT_TIMEOUT) -> SubmissionTime:
    """The committer date of the last commit of the repository at ``repo`` (its top folder)."""
    git = shutil.which("git")
    if not (repo / ".git").exists():
        return SubmissionTime(None, UNKNOWN, f"{repo.name} is not a git repository")
    if git is None:
        return SubmissionTime(None, UNKNOWN, "git is not installed, so the last commit's time is unknown")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {
        "GIT_CEILING_DIRECTORIES": str(repo.resolve().parent),  # never the repository of a folder above
        "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1", "GIT_CONFIG_NOSYSTEM": "1"}
    command = [git, "--no-pager", "-C", str(repo), "-c", "core.fsmonitor=false", "-c", "protocol.allow=never",
               "log", "-1", "--no-show-signature", "--format=%cI"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return SubmissionTime(None, UNKNOWN, f"git log took more than {timeout:g} s")
    except OSError as exc:
        return SubmissionTime(None, UNKNOWN, f"git could not run: {exc.strerror}")
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return SubmissionTime(None, UNKNOWN, f"git log failed: {why}")
    try:
        return SubmissionTime(parse_moment(done.stdout.strip()), "git: last commit (committer date)",
                              "set by the student's clock; a push time (--times FILE) is authoritative")
    except ValueError as exc:
        return SubmissionTime(None, UNKNOWN, f"git log gave no commit time: {exc}")


def canvas_time(names: Iterable[str]) -> SubmissionTime | None:
    """What Canvas download file names say: a late flag but never a time; ``None`` when none is Canvas's."""
    flags = [match.group("late") is not None for name in names if (match := _CANVAS.match(name))]
    if not flags:
        return None
    if any(flags):
        return SubmissionTime(None, UNKNOWN, "Canvas marked it late but the export carries no time: "
                                             "give --times FILE")
    return SubmissionTime(None, UNKNOWN, f"a Canvas download carries no submission times: {_NO_TIME}")


def mtime_time(path: Path) -> SubmissionTime:
    """The newest modification time among the submission's files: a flagged fallback, never the default."""
    try:
        files = [path] if not path.is_dir() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
        newest = max((p.lstat().st_mtime for p in files), default=None)
    except OSError as exc:
        return SubmissionTime(None, UNKNOWN, f"cannot read the modification times: {exc.strerror}")
    if newest is None:
        return SubmissionTime(None, UNKNOWN, f"{path.name} holds no files")
    return SubmissionTime(datetime.fromtimestamp(newest, UTC), MTIME,
                          "the newest file's modification time: copying or unzipping can change it")


def read_times(path: Path, zone: tzinfo | None = None) -> dict[str, SubmissionTime]:
    """The instructor's times file: ``student`` and ``submitted_at`` (or ``push_time``); other columns are
    ignored; the latest time of a student counts. ``UsageError`` lists every problem with its line."""
    header, rows = read_csv(path, "times file", _rows_by_header)
    columns = [c for c in TIME_COLUMNS if c in header]
    if "student" not in header or len(columns) != 1:
        raise UsageError(f"times file {path}: the header needs a 'student' column and one of 'submitted_at' or "
                         f"'push_time' (it has {', '.join(map(repr, header)) or 'nothing'})")
    column = columns[0]
    problems: list[str] = []
    found: dict[str, list[datetime]] = {}
    for line, row in rows:
        values = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key is not None}
        if not any(values.values()):
            continue
        if not values["student"]:
            problems.append(f"line {line}: no student")
            continue
        try:
            found.setdefault(values["student"], []).append(parse_moment(values[column], zone))
        except ValueError as exc:
            problems.append(f"line {line}: {column} {exc}")
    if problems:
        raise UsageError(f"times file {path}: " + (problems[0] if len(problems) == 1 else
                         f"{len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)))
    source = f"times file {path.name} ({column})"
    return {student: SubmissionTime(max(times), source, f"the latest of {len(times)} rows" if len(times) > 1 else "")
            for student, times in found.items()}


def _rows_by_header(f: TextIO) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header's names (trimmed, lower case) and each row with its line number."""
    reader = csv.DictReader(f)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    return header, [(reader.line_num, row) for row in reader]
