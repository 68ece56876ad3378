"""Deadlines, penalties, overrides and history in a class's gradebook, without a sandbox.

``grade_all`` runs in this process against graders that start no runner and
answer with scores the test chooses, so each step says exactly what was
graded and nothing is.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomlkit
from click.testing import CliRunner
from conftest import ROOT, subset_manifest

import grader.bulk.grade_all as grade_all_module
from grader.bulk.exports import write_outputs
from grader.bulk.grade_all import GRADEBOOK, ClassRun, grade_all
from grader.bulk.overrides import clear_override, open_class, set_override, student_history
from grader.cli.group import cli
from grader.course import Course, load_course
from grader.exceptions import UsageError
from grader.judge.plugin import Job
from grader.policy.extensions import read_extensions
from grader.results import CheckResult, ExerciseResult, SubmissionResult
from grader.sandbox.slot import Layer

EXERCISES = ("pad_collate", "text_clean")
HOSTILE = "eve<img src=x onerror=alert(1)>"
DUE = "2026-03-01 23:59"


@dataclass
class Pool:
    """Graders that answer each job with the raw scores in ``scores`` (student, exercise) -> points, record the
    jobs, and start no runner."""

    scores: dict[tuple[str, str], float]
    jobs: list[Job] = field(default_factory=list)

    def layers(self) -> list[Layer]:
        return []

    def close(self) -> None:
        pass

    def grade(self, jobs: list[Job], on_result) -> list[str]:
        self.jobs += jobs
        for job in jobs:
            on_result(SubmissionResult(job.submission.id, exercises=tuple(
                ExerciseResult(ex.name, ex.title, ex.points, "graded",
                               checks=(CheckResult("right", self.scores[job.submission.id, ex.name], "passed"),
                                       CheckResult("wrong", ex.points - self.scores[job.submission.id, ex.name],
                                                   "failed")))
                for ex in job.exercises)))
        return []


def _manifest(folder: Path, due: str) -> Path:
    """The course cut to two exercises, due ``due`` in Berlin, 10 % per day late, 15 minutes' grace."""
    path = subset_manifest(folder, EXERCISES, "policy class", {"points": 10})
    doc = tomlkit.parse(path.read_text())
    doc["course"]["due"] = due
    doc["course"]["timezone"] = "Europe/Berlin"
    doc["late"] = {"grace": "15min", "penalty": "10%", "per": "day", "max_days": 3}
    path.write_text(tomlkit.dumps(doc))
    return path


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A class of three (one with a hostile id) with their submission times, and no sandbox."""
    monkeypatch.setattr(grade_all_module, "LocalGraders", lambda *a: Pool({}))  # a job would be a KeyError
    cls = tmp_path / "class"
    for student in ("ana", "bo", HOSTILE):
        (cls / student).mkdir(parents=True)
        for name in EXERCISES:
            (cls / student / f"{name}.py").write_text((ROOT / "solutions" / f"{name}.py").read_text())
    times = tmp_path / "times.csv"
    times.write_text("student,submitted_at\nana,2026-03-01T20:00:00+01:00\nbo,2026-03-03T10:00:00+01:00\n"
                     f'"{HOSTILE}",2026-03-02T00:20:00+01:00\n')
    return tmp_path, cls, times


def _run(course: Course, cls: Path, out: Path, times: Path, pool: Pool | None, monkeypatch: pytest.MonkeyPatch,
         extensions: Path | None = None) -> ClassRun:
    monkeypatch.setattr(grade_all_module, "LocalGraders", lambda *a: pool or Pool({}))
    granted = read_extensions(extensions, course.timezone, course.names) if extensions else None
    run = grade_all(course, cls, out, times=times, extensions=granted)
    write_outputs(course, run.results, out)
    return run


def _exercise(run: ClassRun | list[SubmissionResult], student: str, name: str) -> ExerciseResult:
    results = run.results if isinstance(run, ClassRun) else run
    return next(e for r in results if r.submission == student for e in r.exercises if e.name == name)


def _tables(out: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(out / GRADEBOOK)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}"), key=repr)
                for t in ("students", "exercises", "checks", "applied_policy", "overrides", "history")}
    finally:
        con.close()


def test_deadline_override_regrade_and_history(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    base, cls, times = setup
    out = base / "out"
    raw = {(s, e): 8.0 for s in ("ana", "bo", HOSTILE) for e in EXERCISES}
    course = load_course(_manifest(base, DUE))
    first = _run(course, cls, out, times, Pool(raw), monkeypatch)
    assert len(first.graded) == 3
    late = _exercise(first, "bo", "pad_collate")  # 1 day 10 hours late: 2 started days
    assert (late.score, late.penalty, late.final_score) == (8, 2, 6)
    assert late.penalty_reason.startswith("2 days late")
    assert _exercise(first, HOSTILE, "text_clean").penalty == 1  # 21 minutes late, past the grace: 1 day
    assert _exercise(first, "ana", "pad_collate").penalty == 0
    assert next(r for r in first.results if r.submission == "bo").time_source.startswith("times file times.csv")

    with open_class(out) as book:
        finals = set_override(book, "ana", "pad_collate", 9.5, "regraded by hand: the checks missed a valid answer")
    assert _exercise(finals, "ana", "pad_collate").final_score == 9.5

    # the deadline moves by two days: penalties are recomputed, and nothing is graded
    spy = Pool({})
    monkeypatch.setattr(grade_all_module, "LocalGraders", lambda *a: spy)
    moved = load_course(_manifest(base, "2026-03-03 23:59"))
    again = grade_all(moved, cls, out, times=times)
    assert again.graded == [] and spy.jobs == [] and sorted(again.reused) == sorted(["ana", "bo", HOSTILE])
    assert _exercise(again, "bo", "pad_collate").penalty == 0
    assert _exercise(again, "ana", "pad_collate").overridden  # the override survives the run

    # ana's file changes and its raw score with it: the override stays, flagged for review
    (cls / "ana" / "pad_collate.py").write_text("def pad_collate(batch, pad_value=0):\n    return None\n")
    regraded = _run(moved, cls, out, times, Pool({**raw, ("ana", "pad_collate"): 6.0}), monkeypatch)
    assert regraded.graded == ["ana"]
    flagged = _exercise(regraded, "ana", "pad_collate")
    assert (flagged.score, flagged.final_score) == (6, 9.5)
    assert flagged.override_flag == "the raw score changed from 8 to 6 after this override: review it"

    with open_class(out) as book:
        ana = [(e.kind, e.exercise, e.old, e.new) for e in student_history(book, "ana")]
        bo = [(e.kind, e.exercise, e.old, e.new, e.reason) for e in student_history(book, "bo")]
    assert ("graded", "pad_collate", "", "8") in ana and ("graded", "pad_collate", "8", "6") in ana
    assert ("override", "pad_collate", "8", "9.5") in ana and ("override", "pad_collate", "raw 8", "raw 6") in ana
    assert [b[:4] for b in bo if b[0] == "penalty"] == [("penalty", n, f, t) for f, t in (("0", "2"), ("2", "0"))
                                                        for n in EXERCISES]
    assert bo[-1][4] == "on time"

    feedback = (out / "feedback" / "ana.md").read_text()
    assert "9.5 / 10 (raw 6)" in feedback and "Score set to 9.5 by your instructor: regraded by hand" in feedback
    assert "review it" not in feedback  # the flag is the instructor's
    report = (out / "report.html").read_text()
    assert 'class="flag"' in report and "review pad_collate: the raw score changed from 8 to 6" in report
    assert HOSTILE not in report and "eve&lt;img src=x onerror=alert(1)&gt;" in report
    csv_head = (out / "gradebook.csv").read_text().splitlines()[0]
    assert csv_head.endswith(",total,max_total,errors,final_total")


def test_penalty_and_extension_reach_the_pages(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    base, cls, times = setup
    out = base / "out"
    extensions = base / "extensions.csv"
    extensions.write_text("student,exercise,due,days,reason\nbo,text_clean,,3,family emergency\n")
    course = load_course(_manifest(base, DUE))
    run = _run(course, cls, out, times, Pool({(s, e): 7.0 for s in ("ana", "bo", HOSTILE) for e in EXERCISES}),
               monkeypatch, extensions)
    assert _exercise(run, "bo", "text_clean").extended and _exercise(run, "bo", "text_clean").penalty == 0
    page = (out / "feedback" / "bo.html").read_text()
    assert "Total: 12 / 20" in page and "Raw score from the checks: 14 / 20" in page
    assert "Late penalty: 2 points off (2 days late" in page and "7 becomes 5" in page
    assert "Extension: +3 days (family emergency)" in page and "Due 2026-03-04 23:59 UTC+01:00" in page
    assert "Submitted 2026-03-03 10:00 UTC+01:00; time source: times file times.csv" in page
    with open_class(out) as book:
        kinds = [(e.kind, e.exercise, e.new) for e in student_history(book, "bo")]
    assert ("extension", "text_clean", "2026-03-04T23:59:00+01:00") in kinds


def test_bad_input_changes_nothing(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    base, cls, times = setup
    out = base / "out"
    manifest = _manifest(base, DUE)
    course = load_course(manifest)
    _run(course, cls, out, times, Pool({(s, e): 5.0 for s in ("ana", "bo", HOSTILE) for e in EXERCISES}),
         monkeypatch)
    before, pages = _tables(out), (out / "report.html").read_text()
    with open_class(out) as book:
        for student, exercise, score, says in [("nobody", "pad_collate", 5, "no student 'nobody'"),
                                               ("ana", "pad_colate", 5, "did you mean 'pad_collate'"),
                                               ("ana", "pad_collate", 10.5, "outside 0..10"),
                                               ("ana", "pad_collate", -1, "outside 0..10")]:
            with pytest.raises(UsageError, match=says):
                set_override(book, student, exercise, score, "why")
        with pytest.raises(UsageError, match="needs a reason"):
            set_override(book, "ana", "pad_collate", 5, "  ")
        with pytest.raises(UsageError, match="no override to clear"):
            clear_override(book, "ana", "pad_collate")
    runner = CliRunner()
    for args, says in [(["override", str(out), "bo", "text_clean", "11", "--reason", "x"], "outside 0..10"),
                       (["extend", "bo", "--days", "2", "--exercise", "nope", "--reason", "x", "--file",
                         str(base / "ext.csv")], "no exercise 'nope'"),
                       (["extend", "nobody", "--days", "2", "--reason", "x", "--out", str(out), "--file",
                         str(base / "ext.csv")], "no student 'nobody'"),
                       (["history", str(out), "nobody"], "no student 'nobody'")]:
        done = runner.invoke(cli, [*args, "--course", str(manifest)] if args[0] != "history" else args)
        assert isinstance(done.exception, UsageError) and done.exception.exit_code == 2, done.output
        assert says in str(done.exception)
    assert _tables(out) == before and (out / "report.html").read_text() == pages
    assert not (base / "ext.csv").exists()
    done = runner.invoke(cli, ["override", str(out), "bo", "text_clean", "4", "--reason", "plagiarised part",
                               "--course", str(manifest)])
    assert done.exit_code == 0, done.output
    assert "bo" in (out / "report.html").read_text().split("Deadlines, late penalties and overrides")[1]
    shown = runner.invoke(cli, ["history", str(out), "bo"])
    assert "override" in shown.output and "plagiarised part" in shown.output
