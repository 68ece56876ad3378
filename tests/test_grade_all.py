"""Bulk grading a class: gradebook, exports, incremental regrades, interruption, LMS exports, the report."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
import tomlkit
from conftest import ROOT, SUBMISSIONS, gradebook_rows, run_cli, subset_manifest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.bulk.roster import roster
from grader.course import load_course

pytestmark = pytest.mark.slow

EXERCISES = ("pad_collate", "distributed_partition")
HOSTILE = {
    "loop": "def pad_collate(batch, pad_value=0):\n    while True:\n        pass\n",
    "exit": "import os\ndef partition_indices(*a, **k):\n    os._exit(1)\n",
    "segv": "import ctypes\ndef pad_collate(batch, pad_value=0):\n    return ctypes.string_at(0)\n",
    "import_exit": "import sys\nsys.exit(3)\n",
}


def _make_class(folder: Path) -> Path:
    """30+ students: every variant, hostile code, malformed input, zips and single files."""
    cls = folder / "class"
    cls.mkdir()
    n = 0
    for name in EXERCISES:
        for variant in sorted((SUBMISSIONS / name).glob("*.py")):
            student = cls / f"s{n:02d}_{variant.stem}"
            student.mkdir()
            shutil.copyfile(variant, student / f"{name}.py")
            other = next(e for e in EXERCISES if e != name)
            shutil.copyfile(ROOT / "solutions" / f"{other}.py", student / f"{other}.py")
            n += 1
    for tag, code in HOSTILE.items():
        (cls / f"hostile_{tag}").mkdir()
        target = "pad_collate.py" if "pad_collate" in code or tag == "import_exit" else "distributed_partition.py"
        (cls / f"hostile_{tag}" / target).write_text(code)
    (cls / "malformed_syntax").mkdir()
    (cls / "malformed_syntax" / "pad_collate.py").write_text("def pad_collate(:\n")
    (cls / "malformed_latin1").mkdir()
    (cls / "malformed_latin1" / "pad_collate.py").write_bytes(b"# caf\xe9\n")
    (cls / "empty_folder").mkdir()
    with zipfile.ZipFile(cls / "zipped.zip", "w") as zf:
        zf.writestr("hw/pad_collate.py", (ROOT / "solutions" / "pad_collate.py").read_text())
        zf.writestr("../escape.py", "x = 1")
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", cls / "single_file.py")  # a lone file: wrong name
    (cls / "notebook_student").mkdir()
    body = (ROOT / "solutions" / "pad_collate.py").read_text()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# hw"), new_code_cell("1/0"), new_code_cell(body)]),
                   str(cls / "notebook_student" / "pad_collate.ipynb"))
    both = "\n".join((ROOT / "solutions" / f"{name}.py").read_text() for name in EXERCISES)
    nbformat.write(new_notebook(cells=[new_code_cell(both)]), str(cls / "homework_notebook.ipynb"))
    (cls / "notes.txt").write_text("not a submission")
    return cls


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    limits = {"points": 10, "time_limit": 3, "check_time_limit": 1, "memory": "512MiB", "processes": 32}
    return subset_manifest(base, EXERCISES, "test class", limits), _make_class(base), base


@pytest.fixture(scope="module")
def graded(setup):
    manifest, cls, base = setup
    out = base / "out"
    started = time.monotonic()
    proc = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "2", "--course", str(manifest), timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc, time.monotonic() - started


def test_class_is_big_enough(setup):
    _, cls, _ = setup
    students, notes = roster(cls, cls.parent / "work")
    assert len(students) >= 30
    assert any("notes.txt" in n for n in notes)


def test_gradebook_matches_json_and_csv(setup, graded):
    manifest, cls, _ = setup
    out, proc, _ = graded
    course = load_course(manifest)
    rows = gradebook_rows(out / "gradebook.sqlite")
    students = {r[0]: r for r in rows["students"]}
    assert len(students) == len(list(roster(cls, cls.parent / "w2")[0]))
    for sid, (_, _, score, max_score, _) in students.items():
        doc = json.loads((out / "results" / f"{sid}.json").read_text())
        assert doc["schema"] == "dlgrade.result/1" and doc["submission"] == sid
        assert (doc["score"], doc["max_score"]) == (score, max_score)
        by_name = {e["name"]: e for e in doc["exercises"]}
        for student_id, name, _, _, ex_score, status in rows["exercises"]:
            if student_id == sid:
                assert (by_name[name]["score"], by_name[name]["status"]) == (ex_score, status)
        assert (out / "feedback" / f"{sid}.md").is_file() and (out / "feedback" / f"{sid}.html").is_file()
    with (out / "gradebook.csv").open() as fh:
        table = list(csv.reader(fh))
    assert table[0][: len(course.names) + 2] == ["student", *course.names, "total"]
    assert len(table) - 1 == len(students)
    for row in table[1:]:
        assert float(row[len(course.names) + 1]) == students[row[0]][2]
    assert "class summary" in proc.stdout


def test_verdicts_in_the_class(graded):
    out, _, _ = graded
    result = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}

    def ex(student, name):
        return next(e for e in result[student]["exercises"] if e["name"] == name)

    assert ex("hostile_import_exit", "pad_collate")["status"] == "crashed"
    assert any(c["status"] == "timeout" for c in ex("hostile_loop", "pad_collate")["checks"])
    assert ex("malformed_syntax", "pad_collate")["status"] == "unreadable"
    assert ex("zipped", "pad_collate")["score"] == 10
    assert result["empty_folder"]["score"] == 0
    assert ex("single_file", "pad_collate")["status"] == "missing"
    assert ex("notebook_student", "pad_collate")["score"] == 10
    assert any(n.startswith("cell 2: ZeroDivisionError") for n in ex("notebook_student", "pad_collate")["cell_notes"])
    assert result["homework_notebook"]["score"] == result["homework_notebook"]["max_score"]
    correct = [s for s in result if "correct_" in s]
    assert correct and all(result[s]["score"] == result[s]["max_score"] for s in correct)
    assert all(result[s]["score"] < result[s]["max_score"] for s in result if "buggy_" in s)


def test_second_run_grades_nothing(setup, graded):
    manifest, cls, _ = setup
    out, _, _ = graded
    before = gradebook_rows(out / "gradebook.sqlite")
    proc = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "2", "--course", str(manifest))
    assert proc.returncode == 0
    assert gradebook_rows(out / "gradebook.sqlite") == before
    con = sqlite3.connect(out / "gradebook.sqlite")
    graded_now, reused = con.execute("SELECT graded, reused FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert graded_now == 0 and reused == len(before["students"])


def test_changed_check_regrades_only_its_exercise(setup, graded, tmp_path):
    manifest, cls, _ = setup
    out, _, _ = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    hidden = tmp_path / "test_distributed_partition.py"
    hidden.write_text((ROOT / "grader/hidden/test_distributed_partition.py").read_text() + "\n# edited\n")
    doc = tomlkit.parse(manifest.read_text())
    for entry in doc["exercises"]:
        if entry["name"] == "distributed_partition":
            entry["hidden_checks"] = str(hidden)
    edited = tmp_path / "course.toml"
    edited.write_text(tomlkit.dumps(doc))
    before = {(r[0], r[1]): r for r in gradebook_rows(copy / "gradebook.sqlite")["exercises"]}
    proc = run_cli("grade-all", str(cls), "--out", str(copy), "--jobs", "2", "--course", str(edited))
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(copy / "gradebook.sqlite")
    last = con.execute("SELECT max(id) FROM runs").fetchone()[0]
    regraded = set(con.execute("SELECT DISTINCT name FROM exercises WHERE run_id = ? AND suite_hash != ''", (last,)))
    after = {(r[0], r[1]): r for r in gradebook_rows(copy / "gradebook.sqlite")["exercises"]}
    changed = {key[1] for key in after if after[key][3] != before[key][3]}
    assert changed == {"distributed_partition"}
    assert regraded  # the run graded students again
    assert all(after[k][4] == before[k][4] for k in after)  # same scores: the edit changed no check


def test_killed_run_resumes_to_the_same_gradebook(setup, graded, tmp_path):
    manifest, cls, _ = setup
    out, _, _ = graded
    resumed = tmp_path / "resumed"
    exe = Path(sys.executable).with_name("dlgrade")
    args = [str(exe), "grade-all", str(cls), "--out", str(resumed), "--jobs", "2", "--course", str(manifest)]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    db = resumed / "gradebook.sqlite"
    deadline = time.monotonic() + 120
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(db)
            count = con.execute("SELECT count(*) FROM students").fetchone()[0]
            con.close()
        except sqlite3.Error:
            count = 0
        if count >= 8:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 8 <= count, "the run finished before it could be killed"
    finish = run_cli("grade-all", str(cls), "--out", str(resumed), "--jobs", "2", "--course", str(manifest))
    assert finish.returncode == 0, finish.stderr
    assert gradebook_rows(db) == gradebook_rows(out / "gradebook.sqlite")


def test_canvas_flat_export_is_regrouped(tmp_path):
    flat = tmp_path / "canvas"
    flat.mkdir()
    pad = (ROOT / "solutions" / "pad_collate.py").read_text()
    (flat / "doejane_1234_5678_pad_collate.py").write_text(pad)
    (flat / "doejane_1234_5679_distributed_partition.py").write_text("x = 1\n")
    (flat / "smithbob_late_42_99_pad_collate-1.py").write_text(pad)
    students, _ = roster(flat, tmp_path / "work")
    assert [s.id for s in students] == ["doejane", "smithbob"]
    assert sorted(p.name for p in students[0].path.iterdir()) == ["distributed_partition.py", "pad_collate.py"]
    assert [p.name for p in students[1].path.iterdir()] == ["pad_collate.py"]
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in flat.iterdir():
            zf.write(p, p.name)
    zipped, _ = roster(archive, tmp_path / "work2")
    assert [s.id for s in zipped] == ["doejane", "smithbob"]


def test_report_renders_in_chromium(graded, tmp_path):
    out, _, _ = graded
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1200,2400",
         (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    console_errors = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln and "ERROR" in ln.upper()]
    assert not console_errors
    html = (out / "report.html").read_text()
    assert "http://" not in html and "https://" not in html  # self-contained
    assert html.count("data:image/png;base64,") == 3
