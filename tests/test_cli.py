"""The real `dlgrade` command, as users and CI run it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, subset_manifest

pytestmark = pytest.mark.slow


def test_grade_solutions_prints_table_and_json(tmp_path, course):
    out = tmp_path / "result.json"
    proc = run_cli("grade", "solutions", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    total = sum(ex.points for ex in course.exercises)
    assert "pad_collate" in proc.stdout and f"{total:g}/{total:g}" in proc.stdout
    assert "sandbox:" in proc.stdout
    doc = json.loads(out.read_text())
    assert doc["schema"] == "dlgrade.result/1"
    assert doc["score"] == doc["max_score"] == total
    for ex in doc["exercises"]:
        assert set(ex) >= {"name", "score", "max_score", "status", "message", "checks"}
        assert ex["status"] == "graded"
        for check in ex["checks"]:
            assert set(check) >= {"name", "score", "max_score", "status", "feedback"}
            assert check["status"] == "passed"


def test_check_runs_public_checks_only(tmp_path, course):
    proc = run_cli("check", "exercises/04_pad_collate/pad_collate.py", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["mode"] == "check" and doc["score"] == 0
    assert [e["name"] for e in doc["exercises"]] == ["pad_collate"]  # one exercise's file: that exercise only
    assert not [name for name in course.names if name != "pad_collate" and name in proc.stdout + proc.stderr]
    pad = next(e for e in doc["exercises"] if e["name"] == "pad_collate")
    assert pad["checks"] and not any(c["hidden"] for c in pad["checks"])
    assert pad["max_score"] == sum(c["max_score"] for c in pad["checks"]) < 10


def test_hostile_submission_grader_exits_normally(tmp_path):
    (tmp_path / "pad_collate.py").write_text(
        "import ctypes, os\n"
        "def pad_collate(batch, pad_value=0):\n    ctypes.string_at(0)\n"
        "def make_loader(dataset, batch_size, shuffle=False):\n    os.kill(os.getppid(), 9)\n")
    (tmp_path / "distributed_partition.py").write_text(
        "def partition_indices(*a, **k):\n    while True:\n        pass\n")
    proc = run_cli("grade", str(tmp_path), "--exercise", "pad_collate", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [e["name"] for e in doc["exercises"]] == ["pad_collate"]
    assert {c["status"] for c in doc["exercises"][0]["checks"]} <= {"crashed", "failed"}


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["grade", "no/such/path"], 2, "does not exist"),
        (["grade", "solutions", "--exercise", "nope"], 3, "no exercise named 'nope'"),
        (["grade"], 2, "Missing argument"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_usage_errors_have_exit_codes(args, code, says):
    proc = run_cli(*args)
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert says in proc.stderr


def test_broken_manifest_exits_3(tmp_path):
    bad = tmp_path / "course.toml"
    bad.write_text("[[exercises]\nname = ")
    proc = run_cli("grade", "--course", str(bad), str(ROOT / "solutions"))
    assert proc.returncode == 3
    assert "not valid TOML" in proc.stderr


def test_a_typo_in_the_manifest_exits_3_with_a_did_you_mean(tmp_path):
    manifest = tmp_path / "course.toml"
    manifest.write_text((ROOT / "course.toml").read_text().replace('name = "text_clean"\n',
                                                                   'name = "text_clean"\ntime_limt = 5\n'))
    proc = run_cli("grade", "--course", str(manifest), str(ROOT / "solutions"))
    assert proc.returncode == 3
    assert "exercise 'text_clean': unknown key 'time_limt' (did you mean 'time_limit'?)" in proc.stderr


def test_grade_all_stops_before_the_gradebook_when_points_do_not_add_up(tmp_path):
    manifest = subset_manifest(tmp_path, ("pad_collate", "distributed_partition"), "wrong points", {"points": 7})
    (tmp_path / "class" / "alice").mkdir(parents=True)
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", tmp_path / "class" / "alice" / "pad_collate.py")
    proc = run_cli("grade-all", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--course", str(manifest))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "pad_collate: checks are worth 10 points, the manifest says 7" in proc.stderr
    assert "distributed_partition: checks are worth 10 points, the manifest says 7" in proc.stderr
    assert not (tmp_path / "out" / "gradebook.sqlite").exists()


def test_runs_from_another_folder_with_course_option(tmp_path):
    sub = tmp_path / "work"
    sub.mkdir()
    (sub / "distributed_partition.py").write_text((ROOT / "solutions" / "distributed_partition.py").read_text())
    proc = run_cli("grade", "work", "--course", str(ROOT / "course.toml"), "--json", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    scores = {e["name"]: (e["score"], e["status"]) for e in doc["exercises"]}
    assert scores["distributed_partition"] == (10.0, "graded")
    assert {v for k, v in scores.items() if k != "distributed_partition"} == {(0.0, "missing")}
    assert Path(tmp_path / "work").is_dir()
