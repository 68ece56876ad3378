"""Bad input gets a clear message in the student's terms and a zero only for what it affects."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, exercise, feedback, write_files

from grader.course import Course
from grader.grading import GradingSession, grade_paths
from grader.results import SubmissionResult

GOOD_DP = (ROOT / "solutions" / "distributed_partition.py").read_text()
GOOD_PC = (ROOT / "solutions" / "pad_collate.py").read_text()


@pytest.fixture(scope="module")
def session(course: Course, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GradingSession]:
    """One warm sandbox slot for the module (as ``dlgrade grade`` of several submissions has), hiding every
    test's temporary folder from the runners."""
    with GradingSession(course, hide=[tmp_path_factory.getbasetemp()]) as graders:
        yield graders


@pytest.fixture
def grade(session: GradingSession, course: Course, tmp_path: Path):
    """conftest's ``grade``, through the module's session (spawn isolation: a session of its own)."""

    def run(files: dict[str, str | bytes] | Path, exercises: list[str] | None = None,
            isolation: str = "auto") -> SubmissionResult:
        if isinstance(files, Path):
            path = files
        else:
            path = write_files(tmp_path / "student", files)
        if isolation == "spawn":
            (result,) = grade_paths(course, [path], exercises, isolation="spawn")
        else:
            (result,) = session.grade([path], exercises)
        return result

    return run


def test_syntax_error_shows_the_students_line(grade):
    bad = "import torch\n\ndef pad_collate(batch, pad_value=0)\n    return batch\n"
    result = grade({"pad_collate.py": bad, "distributed_partition.py": GOOD_DP})
    ex = exercise(result, "pad_collate")
    assert ex.status == "unreadable" and ex.score == 0
    assert "line 3" in ex.message and "def pad_collate(batch, pad_value=0)" in ex.message and "^" in ex.message
    assert exercise(result, "distributed_partition").score == 10


def test_non_utf8_file(grade):
    result = grade({"pad_collate.py": "# caf\xe9\n".encode("latin-1") + GOOD_PC.encode(),
                    "distributed_partition.py": GOOD_DP})
    ex = exercise(result, "pad_collate")
    assert ex.status == "unreadable" and "not UTF-8" in ex.message and "line 1" in ex.message
    assert exercise(result, "distributed_partition").score == 10


def test_near_miss_file_name_suggests_the_right_one(grade):
    result = grade({"padcollate.py": GOOD_PC, "Distributed_Partition.py": GOOD_DP})
    for name, wrong in (("pad_collate", "padcollate.py"), ("distributed_partition", "Distributed_Partition.py")):
        ex = exercise(result, name)
        assert ex.status == "missing"
        assert f"did you mean {wrong}" in ex.message and f"Rename it to {name}.py" in ex.message


def test_missing_function_names_it_and_suggests(grade):
    renamed = GOOD_PC.replace("def pad_collate(", "def pad_colate(")
    renamed = renamed.replace("collate_fn=pad_collate", "collate_fn=pad_colate")
    ex = exercise(grade({"pad_collate.py": renamed}, ["pad_collate"]), "pad_collate")
    loader_points = sum(c.max_score for c in ex.checks if "loader" in c.name)
    assert ex.score == loader_points  # make_loader still works; every check of pad_collate itself fails
    assert "does not define `pad_collate`" in feedback(ex) and "pad_colate" in feedback(ex)


def test_import_error_is_reported_with_student_frames(grade):
    src = "import torch\n\ndef helper():\n    return undefined_name\n\nVALUE = helper()\n"
    result = grade({"pad_collate.py": src, "distributed_partition.py": GOOD_DP})
    ex = exercise(result, "pad_collate")
    assert ex.status == "crashed" and ex.score == 0
    assert "NameError" in ex.message or "NameError" in feedback(ex)
    assert "line 4, in helper: return undefined_name" in feedback(ex)
    assert exercise(result, "distributed_partition").score == 10


def test_runtime_error_shows_only_student_frames(grade, course):
    src = GOOD_PC + "\n\ndef pad_collate(batch, pad_value=0):\n    return _inner(batch)\n\n" \
                    "def _inner(batch):\n    raise ValueError('boom ' + str(len(batch)))\n"
    ex = exercise(grade({"pad_collate.py": src}, ["pad_collate"]), "pad_collate")
    text = feedback(ex)
    assert "ValueError: boom" in text and "in _inner: raise ValueError" in text
    hidden = course.exercise("pad_collate").hidden_checks
    assert str(hidden) not in text and "grader/" not in text and "site-packages" not in text
    hidden_lines = [ln.strip() for ln in hidden.read_text().splitlines() if len(ln.strip()) > 25]
    assert not [ln for ln in hidden_lines if ln in text and not ln.startswith(("assert", '"', "raise", "f\""))]


def test_zip_with_traversal_and_a_good_file(grade, tmp_path):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hw/pad_collate.py", GOOD_PC)
        zf.writestr("../../evil.py", "print('x')")
        zf.writestr("/abs/distributed_partition.py", GOOD_DP)
    result = grade(archive)
    assert exercise(result, "pad_collate").score == 10
    assert exercise(result, "distributed_partition").status == "missing"
    assert any("refused" in note for note in result.notes)
    assert not (tmp_path.parent / "evil.py").exists()


def test_corrupt_zip_and_empty_folder(grade, tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = grade(bad)
    assert result.score == 0 and any("not a readable zip" in n for n in result.notes)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = grade(empty)
    assert result.score == 0 and "the submission is empty" in result.notes
    assert {e.status for e in result.exercises} == {"missing"}


def test_huge_file(grade):
    result = grade({"pad_collate.py": GOOD_PC + "#" * (2 * 2**20), "distributed_partition.py": GOOD_DP})
    ex = exercise(result, "pad_collate")
    assert ex.status == "unreadable" and "MiB" in ex.message
    assert exercise(result, "distributed_partition").score == 10


@pytest.mark.parametrize("isolation", ["fork", "spawn"])
def test_large_source_under_the_limit_is_graded(grade, isolation):
    """A source near the 1 MiB limit, non-ASCII included, reaches its runner (the fork path once broke past 208 KiB)."""
    comment = "# Zeilenlänge, naïve Übung, 東京 — padding to make the file large\n" * 9000
    result = grade({"pad_collate.py": GOOD_PC + comment, "distributed_partition.py": GOOD_DP},
                   ["pad_collate", "distributed_partition"], isolation=isolation)
    assert len((GOOD_PC + comment).encode()) > 600 * 1024
    assert exercise(result, "pad_collate").score == 10, feedback(exercise(result, "pad_collate"))
    assert exercise(result, "distributed_partition").score == 10


def test_forbidden_api_fails_only_its_check(grade):
    src = ("import torch.utils.data as tud\n\nclass _N:\n    def __init__(self, n):\n        self.n = n\n"
           "    def __len__(self):\n        return self.n\n\n"
           "def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):\n"
           "    s = tud.DistributedSampler(_N(dataset_size), num_replicas=num_replicas, rank=rank, shuffle=shuffle,\n"
           "                               seed=seed, drop_last=drop_last)\n"
           "    s.set_epoch(epoch)\n    return list(s)\n")
    ex = exercise(grade({"distributed_partition.py": src}, ["distributed_partition"]), "distributed_partition")
    forbidden = [c for c in ex.checks if c.name == "does not use forbidden APIs"]
    assert forbidden[0].status == "failed" and "torch.utils.data.DistributedSampler` (line 10)" in forbidden[0].feedback
    assert ex.score == ex.max_score - forbidden[0].max_score
