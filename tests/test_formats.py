"""Every output format from every command that produces results: ``--report FORMAT=PATH`` and its aliases.

Each command grades a small submission once and asks for every format in one invocation.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_main

from grader.report.formats import FORMATS

pytestmark = pytest.mark.slow

STUDENTS = ("alice", "bob")
PER_SUBMISSION = {"gradescope": "results.json", "classroom": "classroom.json", "summary": "summary.md"}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``class/alice`` (the solution) and ``class/bob`` (the stub) of pad_collate."""
    base = tmp_path_factory.mktemp("formats")
    for student, source in zip(STUDENTS, (ROOT / "solutions", ROOT / "exercises" / "04_pad_collate"), strict=True):
        (base / "class" / student).mkdir(parents=True)
        shutil.copyfile(source / "pad_collate.py", base / "class" / student / "pad_collate.py")
    return base


def every_format(out: Path) -> list[str]:
    return [arg for name in FORMATS for arg in ("--report", f"{name}={out / name}")]


def run(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT")}
    proc = run_cli(*args, "--course", str(ROOT / "course.toml"), env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def check_formats(out: Path, students: tuple[str, ...], several: bool, mode: str = "grade") -> None:
    """Every format is where it should be, in its own shape, about ``students``."""
    doc = json.loads((out / "json").read_text())
    docs = doc if several else [doc]
    assert [d["submission"] for d in docs] == list(students) and {d["mode"] for d in docs} == {mode}
    suites = ET.parse(out / "junit").getroot()
    assert suites.tag == "testsuites" and {s.get("package") for s in suites} == set(students)
    for name, file in PER_SUBMISSION.items():
        paths = [out / name / student / file for student in students] if several else [out / name]
        texts = [p.read_text() for p in paths]
        if name == "summary":
            assert all(t.startswith("## dlgrade: ") for t in texts)
        else:
            key = "tests" if name == "gradescope" else "version"
            assert all(key in json.loads(t) for t in texts)
    with (out / "csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "student" and [r[0] for r in rows[1:]] == list(students)
    assert sorted(p.name for p in (out / "feedback").iterdir()) == sorted(
        f"{s}.{ext}" for s in students for ext in ("md", "html"))
    assert "<html" in (out / "html").read_text()


def test_grade_one_submission_with_the_aliases(work: Path) -> None:
    out = work / "grade"
    run("grade", str(work / "class" / "alice"), "-e", "pad_collate", *every_format(out),
        "--json", str(out / "alias.json"), "--gradescope", str(out / "alias-gradescope.json"))
    check_formats(out, ("alice",), several=False)
    assert (out / "alias.json").read_text() == (out / "json").read_text()
    assert json.loads((out / "alias-gradescope.json").read_text())["score"] == 10


def test_check_several_submissions_and_one_report_on_stdout(work: Path) -> None:
    out = work / "check"
    stdout = run("check", *(str(work / "class" / s) for s in STUDENTS), "-e", "pad_collate", *every_format(out),
                 "--report", "junit=-")
    check_formats(out, STUDENTS, several=True, mode="check")
    assert ET.fromstring(stdout).tag == "testsuites"  # the tables went to stderr: stdout is the report alone


def test_ci(work: Path) -> None:
    out = work / "ci"
    stdout = run("ci", str(work / "class" / "alice"), *every_format(out), "--junit", str(out / "alias.xml"))
    check_formats(out, ("alice",), several=False)
    assert ET.parse(out / "alias.xml").getroot().tag == "testsuites"
    assert f"JUnit XML: {out / 'alias.xml'}" in stdout and f"class report: {out / 'html'}" in stdout


def test_grade_all(work: Path) -> None:
    out = work / "grade-all"
    stdout = run("grade-all", str(work / "class"), "--out", str(out / "class-run"), "--jobs", "1",
                 *every_format(out))
    check_formats(out, STUDENTS, several=True)
    assert (out / "class-run" / "gradebook.csv").read_text() == (out / "csv").read_text()
    assert f"Gradescope results: {out / 'gradescope'}" in stdout


@pytest.mark.parametrize(("report", "says"), [
    ("jsn=out.json", "unknown format 'jsn' (did you mean 'json'?)"),
    ("junit", "expected FORMAT=PATH"),
    ("csv=-", "csv cannot go to stdout"),
])
def test_a_bad_report_is_a_usage_error(report: str, says: str, monkeypatch, capsys) -> None:
    proc = run_main(monkeypatch, capsys, "check", str(ROOT / "solutions"), "--report", report)
    assert proc.returncode == 2
    assert says in proc.stderr
