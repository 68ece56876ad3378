"""Faults on the instructor's machine during `grade-all`: a full disk, Ctrl-C, a judge killed outright.

Each must end with one clear message (what happened, how many students are
saved, how to go on), no traceback and no flood of errors from judges being
wound down, an intact gradebook, and a second run that finishes the class
with the gradebook an uninterrupted run gives.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SUBMISSIONS, gradebook_rows, run_cli, subset_manifest, survivors

from grader.bulk.grade_all import grade_all
from grader.bulk.pool import JUDGE_NAME
from grader.course import load_course

pytestmark = pytest.mark.slow

EXERCISES = ("text_clean", "pad_collate")
VARIANTS = {  # one per student, cycled: full marks and a few classic mistakes
    "text_clean": ("correct_loop", "buggy_no_strip", "buggy_only_spaces", "correct_translate"),
    "pad_collate": ("buggy_front_padding", "correct_python_lists", "buggy_int32_lengths"),
}
STUDENTS = 4
FIRST = 2  # students saved before each fault is injected, graded at full speed; the others (one on each judge)
SLOW = 0.4  # seconds each module of the others sleeps at import: the run lasts long enough to be stopped part way
WAIT = 120.0  # seconds at most for a run to reach the point where the fault is injected


def _make_class(folder: Path) -> Path:
    cls = folder / "class"
    for n in range(STUDENTS):
        student = cls / f"s{n}"
        student.mkdir(parents=True)
        for name in EXERCISES:
            variant = VARIANTS[name][n % len(VARIANTS[name])]
            source = (SUBMISSIONS / name / f"{variant}.py").read_text()
            slow = f"\nimport time\ntime.sleep({SLOW})\n" if n >= FIRST else ""
            (student / f"{name}.py").write_text(source + slow)
    return cls


def _saved(db: Path) -> int:
    """Students committed to the gradebook so far (0 before it exists; never creates it)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM students").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _intact(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = con.execute("SELECT count(*) FROM exercises WHERE student_id NOT IN (SELECT id FROM students)")
        assert orphans.fetchone()[0] == 0
    finally:
        con.close()


def _one_message(proc: subprocess.CompletedProcess[str], pattern: str) -> re.Match[str]:
    """stderr is exactly one `dlgrade:` line matching ``pattern``: no traceback, no flood."""
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both and "INTERNALERROR" not in both, both[-3000:]
    assert both.count("internal error") == 0, both[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr[-3000:]
    match = re.fullmatch(f"dlgrade: {pattern}", lines[0])
    assert match, lines[0]
    return match


def _start(cls: Path, out: Path, manifest: Path, jobs: int = 2) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("dlgrade")
    return subprocess.Popen([str(exe), "grade-all", str(cls), "--out", str(out), "--jobs", str(jobs),
                             "--course", str(manifest)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_saved(proc: subprocess.Popen[str], db: Path, at_least: int) -> None:
    """Return once the run has committed ``at_least`` students; fail if it ends or stalls first."""
    deadline = time.monotonic() + WAIT
    count = 0
    while time.monotonic() < deadline and proc.poll() is None and count < at_least:
        time.sleep(0.05)
        count = _saved(db)
    if count < at_least:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run saved {count} students, not {at_least}, before it ended or {WAIT:g} s passed")


def _finish(proc: subprocess.Popen[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A size-capped filesystem at ``path`` (needs root, as here and in CI); skips where mounting is refused."""
    path.mkdir()
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no mount command: cannot make a size-capped filesystem")
    proc = subprocess.run([mount, "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"mounting a size-capped tmpfs is not permitted here: {proc.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _resize(path: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], check=True)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    limits = {"points": 10, "time_limit": 20, "check_time_limit": 5, "memory": "512MiB", "processes": 32}
    return subset_manifest(base, EXERCISES, "fault class", limits), _make_class(base)


@pytest.fixture(scope="module")
def uninterrupted(setup, tmp_path_factory):
    """The gradebook of a run nothing disturbed: the API's ``grade_all``, as the CLI calls it (each test below
    runs the CLI itself), without starting another interpreter."""
    manifest, cls = setup
    out = tmp_path_factory.mktemp("uninterrupted")
    run = grade_all(load_course(manifest), cls, out, jobs=2)
    assert sorted(run.graded) == [f"s{n}" for n in range(STUDENTS)] and not run.failed and not run.reused
    rows = gradebook_rows(out / "gradebook.sqlite", texts=True)
    assert len(rows["students"]) == STUDENTS
    return out / "gradebook.sqlite", rows


def _resume(setup, out: Path) -> subprocess.CompletedProcess[str]:
    manifest, cls = setup
    proc = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "2", "--course", str(manifest))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not proc.stderr.strip() and "internal error" not in proc.stdout
    return proc


def test_disk_full_while_grading(setup, uninterrupted, tmp_path):
    manifest, cls = setup
    with _tmpfs(tmp_path / "disk", "160k") as disk:
        out = disk / "grades"
        proc = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "2", "--course", str(manifest))
        db = out / "gradebook.sqlite"
        match = _one_message(proc, re.escape(f"the disk is full (writing {db}). ") + r"(\d+) of "
                             + f"{STUDENTS} students are saved in the gradebook; free some space and run the same "
                             "command again to grade the rest.")
        assert proc.returncode == 5
        saved = int(match.group(1))
        assert 0 < saved < STUDENTS and saved == _saved(db)
        _intact(db)
        _resize(disk, "64m")  # space freed
        _resume(setup, out)
        _intact(db)
        assert gradebook_rows(db, texts=True) == uninterrupted[1]


def test_disk_full_while_writing_exports(setup, uninterrupted, tmp_path):
    with _tmpfs(tmp_path / "disk", "16m") as disk:
        out = disk / "grades"
        out.mkdir()
        shutil.copyfile(uninterrupted[0], out / "gradebook.sqlite")  # every student graded, no export yet
        free = shutil.disk_usage(disk).free
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (free - 96 * 1024))  # room for the gradebook's run record, not for the exports
        manifest, cls = setup
        proc = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "2", "--course", str(manifest))
        _one_message(proc, re.escape("the disk is full (writing ") + r"[^)]+"
                     + re.escape(f"). All {STUDENTS} students are saved in the gradebook, but the exports in {out} "
                                 "are incomplete; free some space and run the same command again to write them "
                                 "(no student is graded again)."))
        assert proc.returncode == 5
        filler.unlink()  # space freed (SQLite cannot even open a WAL database on a full disk)
        _intact(out / "gradebook.sqlite")
        _resume(setup, out)
        assert gradebook_rows(out / "gradebook.sqlite", texts=True) == uninterrupted[1]
        con = sqlite3.connect(out / "gradebook.sqlite")
        assert con.execute("SELECT graded FROM runs ORDER BY id DESC LIMIT 1").fetchone() == (0,)
        con.close()
        assert len(list((out / "results").glob("*.json"))) == STUDENTS
        assert len(list((out / "feedback").glob("*.html"))) == STUDENTS
        assert (out / "report.html").stat().st_size > 10_000


@pytest.mark.parametrize("jobs", [2, 1])
def test_ctrl_c(setup, uninterrupted, tmp_path, jobs):
    manifest, cls = setup
    out = tmp_path / "grades"
    db = out / "gradebook.sqlite"
    proc = _start(cls, out, manifest, jobs)
    _wait_for_saved(proc, db, FIRST)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole foreground process group
    stopped = time.monotonic()
    done = _finish(proc)
    assert time.monotonic() - stopped < 20
    match = _one_message(done, r"interrupted\. (\d+) of " + f"{STUDENTS} students are saved in the gradebook; "
                         "run the same command again to grade the rest.")
    assert done.returncode == 130
    saved = int(match.group(1))
    assert FIRST <= saved < STUDENTS and saved == _saved(db)
    _intact(db)
    assert _judges(proc.pid) == []
    _resume(setup, out)
    assert gradebook_rows(db, texts=True) == uninterrupted[1]


def test_judge_killed_outright(setup, uninterrupted, tmp_path):
    manifest, cls = setup
    out = tmp_path / "grades"
    db = out / "gradebook.sqlite"
    proc = _start(cls, out, manifest)
    _wait_for_saved(proc, db, FIRST)
    judges = _judges(proc.pid)
    assert len(judges) == 2
    os.kill(judges[0], signal.SIGKILL)
    done = _finish(proc)
    match = _one_message(done, r"a judge process stopped unexpectedly, so 1 student was not graded \((s\d)\)\. "
                         f"{STUDENTS - 1} of {STUDENTS} students are saved in the gradebook; run the same command "
                         "again to grade the rest.")
    assert done.returncode == 6
    assert f"run again to retry): {match.group(1)}" in done.stdout  # the class summary names the student too
    _intact(db)
    assert _saved(db) == STUDENTS - 1
    _resume(setup, out)
    assert gradebook_rows(db, texts=True) == uninterrupted[1]


def _judges(group: int) -> list[int]:
    """Live judge processes of the process group ``group`` (one grading run)."""
    found = []
    for pid in survivors(JUDGE_NAME):
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == group:
                found.append(pid)
    return found
