"""The result model: lossless through JSON and the gradebook, old documents still load, troubled and unattempted."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import typing
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.bulk.gradebook import MIGRATIONS, Fingerprint, Gradebook
from grader.judge.feedback import feedback_for
from grader.judge.outcomes import CheckTimeout, LoadFailed, MissingName, NotImplementedYet, StudentError
from grader.report.class_report import check_stats
from grader.result_codec import from_document, to_document
from grader.results import CheckResult, ExerciseResult, SubmissionResult


def non_default(cls: type) -> st.SearchStrategy[Any]:
    """Instances of a result class with every field set, each to a value other than its default.

    Built from the fields themselves: a field added to the model is generated too, so a codec or gradebook that
    forgets it fails the round trips below.
    """
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: _values(hints[f.name], f.default) for f in fields(cls) if f.init})


def _values(hint: Any, default: Any) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and args[0] is str:
        return st.lists(st.text(min_size=1), min_size=1, max_size=3).map(tuple)
    if origin is tuple:  # nested results: unique names (an exercise's name is part of the gradebook's key)
        return st.lists(non_default(args[0]), min_size=1, max_size=3, unique_by=lambda r: r.name).map(tuple)
    if origin is Literal:
        return st.sampled_from([a for a in args if a != default])
    plain = {str: st.text(min_size=1), bool: st.booleans(),
             float: st.floats(-1e6, 1e6, allow_nan=False).filter(bool)}[hint]
    return plain if default is MISSING else plain.filter(lambda v: v != default)


@settings(max_examples=25, deadline=None)
@given(non_default(SubmissionResult))
def test_every_field_survives_json_and_the_gradebook(result: SubmissionResult) -> None:
    assert from_document(json.loads(json.dumps(to_document(result, exact=True)))) == result
    published = json.loads(json.dumps(to_document(result)))
    assert to_document(from_document(published)) == published  # durations rounded once, then kept
    with tempfile.TemporaryDirectory() as tmp, Gradebook(Path(tmp) / "gradebook.sqlite") as book:
        prints = {e.name: Fingerprint("source", "suite", "version") for e in result.exercises}
        book.save(book.start_run("version", 1), result.submission, "hash", result, prints)
        assert book.result(result.submission) == result


# results/elena.json of the bundled demo as the code before cell_notes, output and unattempted wrote it (cut to
# three exercises, their scores and the total made to match the checks kept)
OLD_DOCUMENT = r'''{
  "schema": "dlgrade.result/1",
  "submission": "elena",
  "mode": "grade",
  "score": 1.0,
  "max_score": 30.0,
  "duration": 0.831,
  "notes": [],
  "exercises": [
    {
      "name": "custom_dataset",
      "title": "custom map-style datasets (CSV and image folders)",
      "score": 1.0,
      "max_score": 10.0,
      "status": "graded",
      "message": "cell 2: skipped `!pip install pandas pillow` (shell commands and installs do not run while grading)\ncell 7: ModuleNotFoundError: No module named 'pandas'\n  cell 7, line 1, in <module>: import pandas as pd",
      "source": "custom_dataset.ipynb",
      "duration": 0.169,
      "checks": [
        {
          "name": "CSVDataset reads a small CSV with integer targets",
          "score": 0.5,
          "max_score": 0.5,
          "status": "passed",
          "feedback": "",
          "hidden": false,
          "duration": 0.003
        },
        {
          "name": "ImageFolderDataset lists a folder of two classes",
          "score": 0.5,
          "max_score": 0.5,
          "status": "passed",
          "feedback": "",
          "hidden": false,
          "duration": 0.002
        }
      ]
    },
    {
      "name": "gather_scatter",
      "title": "gather and scatter instead of Python loops",
      "score": 0.0,
      "max_score": 10.0,
      "status": "missing",
      "message": "no gather_scatter.py found",
      "source": "",
      "duration": 0.0,
      "checks": [
        {
          "name": "pick takes logits[i, targets[i]] (gather along the classes)",
          "score": 0.0,
          "max_score": 1.0,
          "status": "failed",
          "feedback": "",
          "hidden": true,
          "duration": 0.0
        }
      ]
    },
    {
      "name": "text_clean",
      "title": "cleaning text with regular expressions",
      "score": 0.0,
      "max_score": 10.0,
      "status": "graded",
      "message": "",
      "source": "text_clean.ipynb",
      "duration": 0.077,
      "checks": [
        {
          "name": "remove_chars: each character becomes a space, then spaces are normalized",
          "score": 0.0,
          "max_score": 1.0,
          "status": "failed",
          "feedback": "normalize the spaces after replacing the characters, not before",
          "hidden": true,
          "duration": 0.001
        }
      ]
    }
  ]
}'''  # noqa: E501 - the document as it was written


def test_a_document_written_before_the_new_fields_loads_and_is_written_the_same() -> None:
    result = from_document(json.loads(OLD_DOCUMENT))
    custom, missing, text = result.exercises
    assert custom.file == "custom_dataset.ipynb" and custom.message.startswith("cell 2: skipped")
    assert custom.cell_notes == () and custom.output == "" and not any(c.unattempted for c in custom.checks)
    assert missing.status == "missing" and missing.checks[0].hidden and text.checks[0].feedback.startswith("normalize")
    assert (result.score, result.max_score) == (1.0, 30.0)
    assert json.dumps(to_document(result), indent=2, ensure_ascii=False) == OLD_DOCUMENT


def test_a_gradebook_written_before_the_new_fields_gains_their_columns_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "gradebook.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    con.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    con.execute("INSERT INTO runs (id, started, grader_version, jobs) VALUES (1, 0, 'v', 1)")
    con.execute("INSERT INTO students VALUES ('ann', 1, 'h', 1.0, 2.0, '[\"a note\"]', 0.5, 0)")
    con.execute("INSERT INTO exercises VALUES ('ann', 0, 'ex', 'Ex', 1, 's', 't', 'v', 1.0, 2.0, 'graded', "
                "'cell 1: NameError', 'ex.ipynb', 0.25)")
    con.execute("INSERT INTO checks VALUES ('ann', 'ex', 0, 'one', 1.0, 1.0, 'passed', '', 0, 0.125)")
    con.execute("INSERT INTO checks VALUES ('ann', 'ex', 1, 'two', 0.0, 1.0, 'failed', 'no', 1, 0.0)")
    con.close()
    with Gradebook(path) as book:
        assert book.result("ann") == SubmissionResult("ann", notes=("a note",), duration=0.5, exercises=(
            ExerciseResult("ex", "Ex", 2.0, "graded", "cell 1: NameError", file="ex.ipynb", duration=0.25, checks=(
                CheckResult("one", 1.0, "passed", duration=0.125), CheckResult("two", 1.0, "failed", "no", True))),))
        assert {"output", "cell_notes"} <= set(book.table("exercises")[0])
        assert book.table("checks")[0]["unattempted"] == 0 and book.table("students")[0]["mode"] == "grade"
    with Gradebook(path) as book:  # opened again: nothing left to add
        assert book.result("ann") is not None


def test_new_fields_are_written_only_when_set_and_details_read_as_before() -> None:
    plain = ExerciseResult("ex", "Ex", 1.0, "graded", checks=(CheckResult("c", 1.0, "failed"),))
    doc = to_document(SubmissionResult("s", exercises=(plain,)))
    assert "output" not in doc["exercises"][0] and "cell_notes" not in doc["exercises"][0]
    assert "unattempted" not in doc["exercises"][0]["checks"][0]
    assert plain.details == ""
    noted = ExerciseResult("ex", "Ex", 1.0, "crashed", "importing failed", cell_notes=("cell 1: x", "cell 2: y"),
                           output="hi\n")
    assert noted.details == "importing failed\ncell 1: x\ncell 2: y\nyour code printed:\nhi\n"
    assert ExerciseResult("ex", "Ex", 1.0, "graded", output="hi").details == "your code printed:\nhi"
    assert ExerciseResult("ex", "Ex", 1.0, "graded", cell_notes=("cell 3: z",)).details == "cell 3: z"


def test_troubled_is_the_exercise_status_else_a_crashed_then_a_timed_out_check() -> None:
    def ex(status: Any, *checks: Any) -> ExerciseResult:
        return ExerciseResult("e", "E", 3.0, status, checks=tuple(CheckResult(str(i), 1.0, s)
                                                                   for i, s in enumerate(checks)))

    assert ex("unreadable", "failed").troubled == "unreadable"
    assert ex("timeout", "crashed").troubled == "timeout"
    assert ex("crashed").troubled == "crashed"
    assert ex("graded", "timeout", "crashed", "passed").troubled == "crashed"
    assert ex("graded", "passed", "timeout").troubled == "timeout"
    assert ex("graded", "failed", "error").troubled == ""
    assert ex("missing", "failed").troubled == ""


def test_unattempted_comes_from_the_outcome_and_is_no_mistake_to_rank() -> None:
    stub = feedback_for(NotImplementedYet(["NotImplementedError", "RuntimeError"], "", []))
    assert (stub.status, stub.unattempted) == ("failed", True) and stub.text.startswith("not implemented yet")
    frame = {"line": 3, "function": "f", "code": "x", "cell": None}
    raised = feedback_for(StudentError(["ValueError"], "bad", [frame]))
    assert (raised.status, raised.text, raised.unattempted) == ("failed", "your code raised ValueError: bad\n"
                                                                "  line 3, in f: x", False)
    assert feedback_for(MissingName("f", "g")).text == "your module does not define `f`; did you mean to name `g` `f`?"
    assert feedback_for(CheckTimeout("slow")).status == "timeout"
    assert (feedback_for(LoadFailed("timeout", "late")).status, feedback_for(LoadFailed("x", "died")).status) == (
        "timeout", "crashed")
    assert feedback_for(AssertionError()).text == "this check failed" and feedback_for(None).status == "passed"
    assert feedback_for(KeyError("k")).status == "error"
    checks = (CheckResult("stub", 1.0, "failed", stub.text, unattempted=True),
              CheckResult("wrong", 1.0, "failed", "no"))
    result = SubmissionResult("s", exercises=(ExerciseResult("e", "E", 2.0, "graded", checks=checks),))
    assert [s.check for s in check_stats([result])] == ["wrong"]
