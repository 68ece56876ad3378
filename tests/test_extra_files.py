"""Files a student adds beside the exercises (issue 11, class 2).

Tool and start-up files (``conftest.py``, ``pytest.ini``, ``sitecustomize.py``,
``*.pth``...) and modules named like libraries (``torch.py``, ``json.py``...)
change neither how the judge collects and scores checks nor what a runner
imports, in fork and in spawn mode; a student's own helper module
(``from helpers import x``) works.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SUBMISSIONS, exercise, feedback

from grader.course import load_course
from grader.grading import grade_paths

REFERENCE = (ROOT / "solutions" / "pad_collate.py").read_text()
BUGGY = (SUBMISSIONS / "pad_collate" / "buggy_front_padding.py").read_text()
OTHER = (ROOT / "solutions" / "distributed_partition.py").read_text()
LIBRARIES = ("torch", "numpy", "pytest", "json", "random", "grader")


def _payload(marker: Path, fatal: bool = True) -> str:
    """Code that leaves a mark where the judge can see it, patches torch, then breaks whatever imported it."""
    code = (f"import builtins\ntry:\n    builtins.open({str(marker)!r}, 'w').write(__name__)\nexcept OSError:\n"
            "    pass\nimport torch\ntorch.equal = lambda *args, **kwargs: True\n")
    return code + ("raise SystemExit('a file beside the exercise was imported')\n" if fatal else "")


def _beside(folder: Path, marker: Path) -> None:
    """Every kind of file that could change collection, start-up or imports, each carrying a payload."""
    for name in ("sitecustomize.py", "usercustomize.py", "__init__.py", *(f"{lib}.py" for lib in LIBRARIES)):
        (folder / name).write_text(_payload(marker))
    (folder / "conftest.py").write_text(_payload(marker, fatal=False) + (
        "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_call(item):\n"
        "    outcome = yield\n    outcome.force_result(None)\n"))
    ini = "[pytest]\naddopts = -p no:python --collect-only\npython_files = nothing_*.py\n"
    for name in ("pytest.ini", "tox.ini"):
        (folder / name).write_text(ini)
    (folder / "setup.cfg").write_text(ini.replace("[pytest]", "[tool:pytest]"))
    (folder / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-p no:python --collect-only"\n')
    (folder / "dlgrade.pth").write_text(f"import builtins; builtins.open({str(marker)!r}, 'w').write('pth')\n")


@pytest.mark.parametrize("isolation", ["fork", pytest.param("spawn", marks=pytest.mark.slow)])
def test_files_beside_the_exercises_change_nothing(course, tmp_path: Path, isolation: str):
    marker = tmp_path / "imported"
    folders = {}
    for sid, code in (("correct", REFERENCE), ("buggy", BUGGY), ("buggy_alone", BUGGY)):
        folders[sid] = tmp_path / sid
        folders[sid].mkdir()
        (folders[sid] / "pad_collate.py").write_text(code)
        if sid != "buggy_alone":
            _beside(folders[sid], marker)
    correct, buggy, alone = grade_paths(course, list(folders.values()), ["pad_collate"], isolation=isolation)
    ex = exercise(correct, "pad_collate")
    assert ex.score == ex.max_score, feedback(ex)
    with_files, without = exercise(buggy, "pad_collate"), exercise(alone, "pad_collate")
    assert 0 < with_files.score < with_files.max_score
    assert [(c.name, c.status, c.score) for c in with_files.checks] == [(c.name, c.status, c.score)
                                                                         for c in without.checks]
    assert not marker.exists(), f"{marker.read_text()} was imported"
    for lib in LIBRARIES:
        assert any(f"`{lib}` is the name of a library module" in note for note in correct.notes), correct.notes


@pytest.mark.parametrize("isolation", ["fork", pytest.param("spawn", marks=pytest.mark.slow)])
def test_a_helper_module_beside_two_exercises_is_importable(course, tmp_path: Path, isolation: str):
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "helpers.py").write_text("def rank_ok(rank, num_replicas):\n    return 0 <= rank < num_replicas\n"
                                       "def fail_here():\n    raise ValueError('from the helper')\n")
    (folder / "pad_collate.py").write_text(REFERENCE + "\nfrom helpers import rank_ok\nassert rank_ok(0, 1)\n")
    (folder / "distributed_partition.py").write_text(OTHER + (
        "\nimport helpers\n_reference = partition_indices\n\n"
        "def partition_indices(dataset_size, num_replicas, rank, *args, **kwargs):\n"
        "    if not helpers.rank_ok(rank, num_replicas):\n        helpers.fail_here()\n"
        "    return _reference(dataset_size, num_replicas, rank, *args, **kwargs)\n"))
    (result,) = grade_paths(course, [folder], ["pad_collate", "distributed_partition"], isolation=isolation)
    for name in ("pad_collate", "distributed_partition"):
        ex = exercise(result, name)
        assert ex.score == ex.max_score, feedback(ex)
    assert not result.notes, result.notes


def test_checks_in_a_checkout_graded_in_place_ignore_the_students_files(tmp_path: Path):
    """``dlgrade check`` in a student's copy of the course: their files sit beside the public checks."""
    course_root = tmp_path / "course"
    folder = course_root / "exercises" / "04_pad_collate"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "04_pad_collate" / "test_public.py", folder)
    (course_root / "course.toml").write_text(
        '[course]\nname = "in place"\n\n[[exercises]]\nname = "pad_collate"\ntitle = "pad"\n'
        'directory = "exercises/04_pad_collate"\npublic_checks = "exercises/04_pad_collate/test_public.py"\n')
    (folder / "pad_collate.py").write_text((ROOT / "exercises" / "04_pad_collate" / "pad_collate.py").read_text())
    marker = tmp_path / "imported"
    _beside(folder, marker)
    course = load_course(course_root / "course.toml")
    (result,) = grade_paths(course, [folder], hidden=False)
    ex = exercise(result, "pad_collate")
    assert ex.max_score > 0 and ex.score == 0, feedback(ex)  # the stub: no conftest.py made its checks pass
    assert not marker.exists(), f"{marker.read_text()} was imported"
