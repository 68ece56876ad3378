"""Shared helpers: grade real submissions through the real engine."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from grader.course import Course, load_course
from grader.grading import grade_paths
from grader.results import ExerciseResult, SubmissionResult

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
COURSE_FILE = Path(os.environ.get("DLGRADE_COURSE", ROOT / "course.toml"))  # a draft manifest while authoring


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course(COURSE_FILE)


@pytest.fixture
def grade(course: Course, tmp_path: Path):
    """grade({"pad_collate.py": source, ...}) -> SubmissionResult, through the real sandbox."""

    def run(files: dict[str, str | bytes] | Path, exercises: list[str] | None = None, hidden: bool = True,
            isolation: str = "auto") -> SubmissionResult:
        if isinstance(files, Path):
            path = files
        else:
            path = write_files(tmp_path / "student", files)
        (result,) = grade_paths(course, [path], exercises, hidden, isolation)  # type: ignore[arg-type]
        return result

    return run


def exercise(result: SubmissionResult, name: str) -> ExerciseResult:
    """The named exercise's result."""
    return next(e for e in result.exercises if e.name == name)


def feedback(ex: ExerciseResult) -> str:
    """All of an exercise's feedback, one string (for `in` assertions)."""
    return "\n".join([ex.details, *(f"{c.name}: {c.feedback}" for c in ex.checks)])


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 300, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run the installed `dlgrade` console script the way a user does."""
    exe = Path(sys.executable).with_name("dlgrade")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
             ) -> subprocess.CompletedProcess[str]:
    """``dlgrade ARGS`` through the console script's own entry point (``grader.cli:main``) in this process: for a
    usage error, refused before anything is graded, without starting an interpreter that imports torch."""
    from grader.cli import main

    monkeypatch.setattr(sys, "argv", ["dlgrade", *args])
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["dlgrade", *args], code, out, err)


def survivors(tag: str) -> list[int]:
    """Live (not zombie) processes whose name, set by a hostile submission with prctl, is ``tag``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, state = stat[stat.index("(") + 1: stat.rindex(")")], stat[stat.rindex(")") + 2]
            if name == tag and state != "Z":
                found.append(int(entry))
    return found


def gradebook_rows(db: Path, texts: bool = False) -> dict[str, list[tuple]]:
    """A gradebook's content without times and run ids; with ``texts``, messages and feedback too."""
    message, feedback_col = (", message", ", feedback") if texts else ("", "")
    con = sqlite3.connect(db)
    try:
        return {
            "students": sorted(con.execute("SELECT id, submission_hash, score, max_score, notes FROM students")),
            "exercises": sorted(con.execute(f"SELECT student_id, name, source_hash, suite_hash, score, status{message} "
                                            "FROM exercises")),
            "checks": sorted(con.execute(f"SELECT student_id, exercise, position, name, score, status{feedback_col} "
                                         "FROM checks")),
        }
    finally:
        con.close()


def subset_manifest(folder: Path, exercises: tuple[str, ...], name: str, defaults: dict[str, object]) -> Path:
    """``folder/course.toml``: the real course cut to ``exercises``, with ``defaults`` and absolute paths."""
    real = tomlkit.parse((ROOT / "course.toml").read_text())
    doc = tomlkit.document()
    doc.add("course", {"name": name, "hidden": [str(ROOT / h) for h in real["course"]["hidden"]]})
    doc.add("defaults", defaults)
    entries = tomlkit.aot()
    for entry in real["exercises"]:
        if entry["name"] in exercises:
            entries.append(tomlkit.item({k: (str(ROOT / v) if k in ("directory", "public_checks", "hidden_checks",
                                                                      "solution") else v)
                                         for k, v in entry.items()}))
    doc.add("exercises", entries)
    path = folder / "course.toml"
    path.write_text(tomlkit.dumps(doc))
    return path


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative name -> text or bytes) under ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root
