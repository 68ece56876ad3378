"""CI and platform autograding: GitHub Classroom, the step summary, JUnit XML, Gradescope.

The formats are checked against the platforms' own definitions, written down
in tests/platform_schemas/ with their sources named; the end-to-end tests run
the real `dlgrade` as the workflow and Gradescope's harness would.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import COURSE_FILE, ROOT, run_cli, run_main

from grader.authoring.markers import solution_lines
from grader.course import Course, load_course
from grader.platforms import classroom_workflow, github_actions
from grader.report.classroom import classroom_result, encode
from grader.report.gradescope import gradescope_results
from grader.report.junit import junit_xml
from grader.report.step_summary import step_summary
from grader.results import CheckResult, ExerciseResult, SubmissionResult

SCHEMAS = Path(__file__).resolve().parent / "platform_schemas"


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


def validate_junit(text: str) -> ET.Element:
    """Check a JUnit XML document against the field list of the Ant JUnit schema; return its root."""
    fields = _schema("junit.fields.json")
    types = {name: re.compile(pattern) for name, pattern in fields["types"].items()}
    root = ET.fromstring(text.encode())

    def check(el: ET.Element) -> None:
        spec = fields["elements"].get(el.tag)
        assert spec is not None, f"element <{el.tag}> is not in the schema"
        allowed = {**spec["required"], **spec["optional"]}
        assert set(el.attrib) <= set(allowed), f"<{el.tag}> has unknown attributes {set(el.attrib) - set(allowed)}"
        assert set(spec["required"]) <= set(el.attrib), f"<{el.tag}> lacks {set(spec['required']) - set(el.attrib)}"
        for name, value in el.attrib.items():
            assert types[allowed[name]].fullmatch(value), f"<{el.tag} {name}={value!r}> is not {allowed[name]}"
        children = list(el)
        if "choice" in spec:
            assert len(children) <= 1 and all(c.tag in spec["choice"] for c in children), f"<{el.tag}> children"
        elif "children" in spec:
            position = 0
            for name, low, high in spec["children"]:
                count = 0
                while position < len(children) and children[position].tag == name:
                    position, count = position + 1, count + 1
                assert count >= low and (high is None or count <= high), f"<{el.tag}> has {count} <{name}>"
            assert position == len(children), f"<{el.tag}> has <{children[position].tag}> out of place"
        if not spec.get("text"):
            assert not (el.text or "").strip(), f"<{el.tag}> holds text"
        for child in children:
            check(child)

    assert root.tag == fields["root"]
    check(root)
    return root


def reporter_points(results: dict[str, Any]) -> tuple[float, float]:
    """What autograding-grading-reporter posts as ``Points X/Y`` (src/notify-classroom.js)."""
    return sum(t["score"] for t in results["tests"]), results["max_score"]


def reporter_console_score(results: dict[str, Any]) -> float:
    """The reporter's console total (src/helpers/test-helpers.js, getTestScore): the share of passing tests."""
    passed = sum(t["status"] == "pass" for t in results["tests"])
    return passed / len(results["tests"]) * results["max_score"]


def _meaningful(line: str) -> bool:
    text = line.strip()
    return len(text) >= 25 and not text.startswith(("import ", "from ", "@", "#", '"""', "def test_"))


def secret_lines(course: Course) -> set[str]:
    """Lines of hidden checks and solution bodies that no public file (public checks, the engine) holds."""
    public_files = [f for ex in course.exercises for f in ex.directory.rglob("*.py")]
    public_files += list((ROOT / "grader").rglob("*.py"))
    hidden = [p.resolve() for p in course.hidden_paths]
    public = {line.strip() for f in public_files if not any(f.resolve().is_relative_to(h) for h in hidden)
              for line in f.read_text().splitlines()}
    found: set[str] = set()
    for ex in course.exercises:
        if ex.hidden_checks:
            found |= {line.strip() for line in ex.hidden_checks.read_text().splitlines() if _meaningful(line)}
        if ex.solution:
            rel = ex.solution.relative_to(course.root).as_posix()
            found |= {line.strip() for line in solution_lines(ex.solution.read_text(), rel) if _meaningful(line)}
    return found - public


def assert_no_secrets(course: Course, text: str, where: str) -> None:
    leaked = [line for line in secret_lines(course) if line in text]
    assert not leaked, f"hidden check or solution lines in {where}: {leaked[:3]}"


# A result with weighted checks and every status: what the formats must carry exactly.
SAMPLE = SubmissionResult(
    submission="alice",
    mode="grade",
    notes=("padcollate.py: not graded; did you mean pad_collate.py?",),
    duration=3.25,
    exercises=(
        ExerciseResult("pad_collate", "collate_fn", 10.0, "graded", checks=(
            CheckResult("Pads a batch", 1.0, "passed"),
            CheckResult("Pads every sequence at the end", 2.0, "passed", hidden=True),
            CheckResult("Keeps the batch order", 5.0, "failed", "keep the batch order ``as given``", hidden=True),
            CheckResult("Handles empty sequences", 1.0, "timeout", "took more than 10 s", hidden=True),
            CheckResult("Leaves inputs alone", 1.0, "crashed", "your code\x00 crashed:\nSegmentation fault"),
        ), duration=1.5),
        ExerciseResult("text_clean", "regex", 10.0, "unreadable", "text_clean.py line 3\n    def f(:\n         ^",
                       checks=(CheckResult("Collapses spaces", 4.0, "failed"),
                               CheckResult("Escapes characters", 6.0, "failed", hidden=True))),
        ExerciseResult("iterable_shard", "shards", 10.0, "crashed", "the grader failed on this exercise"),
    ),
)


def test_classroom_result_is_the_runner_format_and_points_equal_dlgrade_score():
    doc = json.loads(base64.b64decode(encode(SAMPLE), validate=True))
    assert doc == classroom_result(SAMPLE)
    jsonschema.validate(doc, _schema("classroom_runner_result.schema.json"))
    assert doc["version"] == 1 and doc["status"] == "fail" and doc["max_score"] == SAMPLE.max_score == 30
    names = [t["name"] for t in doc["tests"]]
    assert names[:2] == ["pad_collate: Pads a batch", "pad_collate: Pads every sequence at the end"]
    assert names[-1] == "iterable_shard"  # an exercise without checks still shows, worth nothing
    assert len(doc["tests"]) == sum(len(e.checks) or 1 for e in SAMPLE.exercises)
    by_name = {t["name"]: t for t in doc["tests"]}
    assert by_name["pad_collate: Keeps the batch order"] | {"duration": 0} == {
        "name": "pad_collate: Keeps the batch order", "status": "fail", "score": 0.0,
        "message": "keep the batch order ``as given``", "test_code": "", "filename": "", "line_no": 0, "duration": 0}
    assert by_name["pad_collate: Handles empty sequences"]["status"] == "error"
    assert by_name["pad_collate: Leaves inputs alone"]["status"] == "error"
    assert by_name["text_clean: Collapses spaces"]["message"].startswith("text_clean.py line 3")
    assert by_name["pad_collate: Pads every sequence at the end"]["score"] == 2.0
    assert all(t["test_code"] == "" and t["line_no"] == 0 for t in doc["tests"])
    # Classroom records "Points X/Y": X is dlgrade's score. The console total differs (share of passing tests).
    assert reporter_points(doc) == (SAMPLE.score, SAMPLE.max_score) == (3.0, 30.0)
    assert reporter_console_score(doc) != SAMPLE.score
    one = ExerciseResult("e", "t", 1.0, "graded", checks=(CheckResult("c", 1, "passed"),))
    passing = SubmissionResult("bob", exercises=(one,))
    assert classroom_result(passing)["status"] == "pass"
    chatty = ExerciseResult("e", "t", 1.0, "graded", checks=(CheckResult("c", 1, "failed", "x" * 50_000),))
    (test,) = classroom_result(SubmissionResult("eve", exercises=(chatty,)))["tests"]
    assert len(test["message"]) == 1000  # the reporter reads the whole result from one environment variable


def test_gradescope_results_follow_the_spec_and_keep_hidden_checks_hidden():
    doc = gradescope_results(SAMPLE)
    schema = _schema("gradescope_results.schema.json")
    jsonschema.validate(doc, schema)
    assert doc["score"] == SAMPLE.score and isinstance(doc["execution_time"], float) and doc["execution_time"] == 3.25
    assert doc["stdout_visibility"] == "hidden" and doc["output_format"] == "md"
    assert sum(t["max_score"] for t in doc["tests"]) == SAMPLE.max_score
    assert sum(t["score"] for t in doc["tests"]) == SAMPLE.score
    tests = {t["name"]: t for t in doc["tests"]}
    hidden = tests["pad_collate: Keeps the batch order"]
    assert hidden["visibility"] == "after_published" and hidden["tags"] == ["pad_collate", "hidden"]
    assert hidden["status"] == "failed" and hidden["output"] == "keep the batch order ``as given``"
    assert tests["pad_collate: Pads a batch"]["visibility"] == "visible"
    assert tests["pad_collate: Pads a batch"]["status"] == "passed"
    assert all(t["output_format"] == "md" for t in doc["tests"])
    assert tests["pad_collate: Leaves inputs alone"]["output"].startswith("```\n")  # several lines: a code block
    assert tests["iterable_shard"]["max_score"] == 10 and tests["iterable_shard"]["score"] == 0
    # the submission-wide output names file problems, never a score (Gradescope hides totals while tests are hidden)
    assert "padcollate.py" in doc["output"] and "text_clean" in doc["output"]
    assert not re.search(r"\b\d+(\.\d+)? ?/ ?\d+", doc["output"])
    shown = gradescope_results(SAMPLE, hidden_visibility="visible")
    jsonschema.validate(shown, schema)
    assert {t["visibility"] for t in shown["tests"]} == {"visible"}
    with pytest.raises(jsonschema.ValidationError):  # the schema does catch a stringly execution_time
        jsonschema.validate({**doc, "execution_time": "3.25"}, schema)


def test_junit_matches_the_ant_schema_fields():
    root = validate_junit(junit_xml([SAMPLE]))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["pad_collate", "text_clean", "iterable_shard"]
    assert [s.get("id") for s in suites] == ["0", "1", "2"] and {s.get("package") for s in suites} == {"alice"}
    pad = suites[0]
    assert (pad.get("tests"), pad.get("failures"), pad.get("errors")) == ("5", "1", "2")
    cases = {c.get("name"): c for c in pad.findall("testcase")}
    assert list(cases["Pads a batch"]) == []
    failure = cases["Keeps the batch order"].find("failure")
    assert failure is not None and failure.get("message") == failure.text == "keep the batch order ``as given``"
    crashed = cases["Leaves inputs alone"].find("error")
    assert crashed is not None and crashed.get("type") == "crashed"
    assert crashed.get("message") == "your code\ufffd crashed:"  # NUL is not XML
    text_clean = suites[1]
    assert text_clean.findtext("system-out", "").startswith("text_clean.py line 3")
    missing = text_clean.find("testcase/failure")
    assert missing is not None and missing.text is not None and missing.text.startswith("text_clean.py line 3")
    assert suites[2].find("testcase/error") is not None and suites[2].get("errors") == "1"
    with pytest.raises(AssertionError, match="lacks"):  # the field list does catch a missing attribute
        validate_junit(junit_xml([SAMPLE]).replace(' classname="pad_collate"', "", 1))


def test_step_summary_shows_scores_and_what_to_fix():
    text = step_summary(SAMPLE)
    assert text.startswith("## dlgrade: 3 / 30\n")
    assert "| pad_collate | 3 / 10 | 2 / 5 | graded |" in text and "| **total** | **3 / 30** | | |" in text
    assert "✗ **Keeps the batch order** (0 / 5): keep the batch order ``as given``" in text
    assert "Public checks only" not in text
    assert "> note: padcollate.py: not graded" in text
    assert "```\ntext_clean.py line 3\n    def f(:\n         ^\n```" in text
    assert "Collapses spaces" not in text  # an unreadable file's checks are not listed one by one
    checked = step_summary(SubmissionResult("s", exercises=SAMPLE.exercises[:1], mode="check"))
    assert "Public checks only" in checked


def test_github_actions_files(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert github_actions.set_output("result", "abc") is None
    assert github_actions.append_step_summary("# hi") is None
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    out.write_text("earlier=1\n")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert github_actions.set_output("result", "abc") == out
    assert github_actions.append_step_summary("# hi") == summary
    assert out.read_text() == "earlier=1\nresult=abc\n" and summary.read_text() == "# hi\n"
    with pytest.raises(ValueError):
        github_actions.set_output("result", "two\nlines")


def _step_outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def _ci_env(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DLGRADE_"))}
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary.md"
    outputs.touch()
    summary.touch()
    return env | {"GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}, outputs, summary


@pytest.mark.slow
def test_classroom_template_repo_runs_its_workflow(tmp_path):
    repo = tmp_path / "hw-alice"
    proc = run_cli("release", str(repo), "--course", str(COURSE_FILE))
    assert proc.returncode == 0, proc.stderr
    course = load_course(repo / "course.toml")
    pad = course.exercise("pad_collate")
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", pad.directory / "pad_collate.py")  # alice solved one

    workflow = yaml.safe_load((repo / classroom_workflow.PATH).read_text())
    assert workflow["name"] == "Autograding Tests" and "push" in workflow["on"]
    assert workflow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    (job_id, job), = workflow["jobs"].items()
    assert job_id == "run-autograding-tests" and job["if"] == "github.actor != 'github-classroom[bot]'"
    reporter = job["steps"][-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    runners = [r.strip() for r in reporter["with"]["runners"].split(",")]
    for runner in runners:  # the reporter reads process.env[`${runner.toUpperCase()}_RESULTS`]
        assert re.fullmatch(r"\$\{\{\s*steps\." + runner + r"\.outputs\.result\s*\}\}",
                            reporter["env"][f"{runner.upper()}_RESULTS"])
    assert {s.get("id") for s in job["steps"]} >= set(runners)

    # Run every `run:` step in order, in the repo, as Actions would (bash, step outputs and summary files).
    # `python` is a stand-in that records its arguments: the real install downloads torch; the dlgrade
    # installed from this checkout plays the installed bundle.
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "python").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "python_calls"}\n')
    (shims / "python").chmod(0o755)
    env, outputs, summary = _ci_env(tmp_path)
    env["PATH"] = os.pathsep.join([str(shims), str(Path(sys.executable).parent), env.get("PATH", "")])
    ran = []
    for step in job["steps"]:
        if "run" in step:
            done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, (step["name"], done.stdout, done.stderr)
            ran.append(step.get("id", step["name"]))
    assert "dlgrade" in ran
    assert (tmp_path / "python_calls").read_text().split()[:3] == ["-m", "pip", "install"]
    assert (tmp_path / "python_calls").read_text().split()[-1] == "."

    # The classroom result, read the way the reporter reads it.
    result = json.loads(base64.b64decode(_step_outputs(outputs)["result"]))
    jsonschema.validate(result, _schema("classroom_runner_result.schema.json"))
    public_points = {t["name"]: t for t in result["tests"]}
    assert all(t["status"] == "pass" for n, t in public_points.items() if n.startswith("pad_collate: "))
    assert all(t["status"] != "pass" for n, t in public_points.items() if not n.startswith("pad_collate: "))
    assert result["status"] == "fail"
    score, top = reporter_points(result)
    assert 0 < score < top

    text = summary.read_text()  # public checks only in a student repo: the classroom score says so
    assert text.startswith(f"## dlgrade: {score:g} / {top:g}\n") and "Public checks only" in text
    pad_score = sum(t["score"] for n, t in public_points.items() if n.startswith("pad_collate: "))
    assert f"| pad_collate | {pad_score:g} / {pad_score:g} |" in text and "not implemented yet" in text

    root = validate_junit((repo / classroom_workflow.JUNIT_FILE).read_text())
    assert [s.get("name") for s in root.findall("testsuite")] == course.names
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(result["tests"])
    failing = [t["message"] for t in result["tests"] if t["status"] != "pass"]
    assert [c[0].text for c in cases if len(c)] == failing


@pytest.mark.slow
def test_ci_with_hidden_checks_grades_and_fail_under_fails(tmp_path, course: Course):
    work = tmp_path / "alice"
    work.mkdir()
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", work / "pad_collate.py")
    env, outputs, summary = _ci_env(tmp_path)
    junit = tmp_path / "junit.xml"
    proc = run_cli("ci", str(work), "--course", str(COURSE_FILE), "--junit", str(junit), "--fail-under", "1000",
                   env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "below --fail-under 1000" in proc.stderr
    result = json.loads(base64.b64decode(_step_outputs(outputs)["result"]))
    jsonschema.validate(result, _schema("classroom_runner_result.schema.json"))
    assert result["max_score"] == sum(ex.points for ex in course.exercises)  # hidden checks graded too
    assert reporter_points(result)[0] == course.exercise("pad_collate").points
    validate_junit(junit.read_text())
    assert "Public checks only" not in summary.read_text()
    for name, text in (("summary", summary.read_text()), ("JUnit", junit.read_text()),
                       ("classroom result", json.dumps(result))):
        assert_no_secrets(course, text, name)


@pytest.mark.slow
def test_gradescope_autograder_runs_against_a_fake_root(tmp_path, course: Course):
    bundle = tmp_path / "autograder.zip"
    proc = run_cli("gradescope", "--out", str(bundle), "--course", str(COURSE_FILE))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(bundle) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        zip_text = "\n".join(zf.read(n).decode("utf-8", "replace") for n in infos)
        setup = zf.read("setup.sh").decode()
    for script in ("setup.sh", "run_autograder"):  # at the zip's root, executable
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    assert "apt-get install -y python3" in setup and 'pip install --extra-index-url' in setup
    assert setup.rstrip().endswith('"$ROOT/source/dlgrade"')
    assert all(f"dlgrade/hidden/{ex.name}/{ex.hidden_checks.name}" in infos for ex in course.exercises
               if ex.hidden_checks)
    solutions = {line.strip() for ex in course.exercises if ex.solution
                 for line in solution_lines(ex.solution.read_text(), ex.solution.name) if _meaningful(line)}
    # A solution line that also stands in what the zip is meant to hold (the engine, the exercises, the
    # hidden checks) reveals nothing; any other one would be a leak.
    meant = [*ROOT.joinpath("grader").rglob("*.py"), *ROOT.joinpath("exercises").rglob("*.md"),
             *ROOT.joinpath("exercises").rglob("*.py")]
    shared = {line.strip() for f in meant for line in f.read_text().splitlines()}
    leaked = [line for line in solutions - shared if line in zip_text]
    assert not leaked, f"solution code in the autograder zip: {leaked}"

    # Gradescope's image: the zip unpacked in source/, run_autograder copied beside it, setup.sh's venv
    # (here: this checkout's), the student's files in submission/.
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "venv").symlink_to(Path(sys.executable).parent.parent)
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", root / "submission" / "pad_collate.py")
    (root / "submission" / "distributed_partition.py").write_text("def partition_indices(:\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLGRADE_")} | {"DLGRADE_AUTOGRADER_ROOT": str(root)}
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (root / "results" / "results.json").read_text()
    doc = json.loads(text)
    jsonschema.validate(doc, _schema("gradescope_results.schema.json"))
    assert doc["score"] == course.exercise("pad_collate").points == sum(t["score"] for t in doc["tests"])
    assert sum(t["max_score"] for t in doc["tests"]) == sum(ex.points for ex in course.exercises)
    hidden = [t for t in doc["tests"] if "hidden" in t["tags"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_published"}
    assert {t["visibility"] for t in doc["tests"] if "public" in t["tags"]} == {"visible"}
    assert "distributed_partition" in doc["output"] and "def partition_indices(:" in doc["output"]
    assert doc["stdout_visibility"] == "hidden"
    assert_no_secrets(course, text, "results.json")

    # When grading cannot run at all, Gradescope still gets a results.json.
    (root / "venv").unlink()
    (root / "venv").mkdir()
    failed = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                            timeout=60)
    assert failed.returncode != 0
    fallback = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(fallback | {"execution_time": 0}, _schema("gradescope_results.schema.json"))
    assert fallback["score"] == 0 and "could not grade" in fallback["output"]


@pytest.mark.slow
def test_grade_gradescope_needs_one_submission(tmp_path, monkeypatch, capsys):
    proc = run_main(monkeypatch, capsys, "grade", "solutions", "solutions", "--gradescope",
                    str(tmp_path / "results.json"))
    assert proc.returncode == 2 and "give one path" in proc.stderr
