"""Authoring: stubs from marked solutions, the student bundle, scaffolding, validation."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from grader.authoring.build import artifacts
from grader.authoring.hint_literals import hint_problems
from grader.authoring.markers import MarkerError, make_stub, solution_lines
from grader.authoring.notebook_stub import notebook_from_stub
from grader.authoring.release import bundle_files
from grader.course import Course, load_course

MARKED = '''"""Doc."""
import torch


def f(x):
    """Docstring kept."""
    # BEGIN SOLUTION
    y = x + 1
    return y
    # END SOLUTION


class C:
    def method(self):
        if True:
            # BEGIN SOLUTION: return []
            return [1, 2]
            # END SOLUTION
'''


def test_stub_replaces_regions_and_keeps_the_rest():
    stub = make_stub(MARKED, "f.py")
    assert "y = x + 1" not in stub and "[1, 2]" not in stub
    assert '    """Docstring kept."""\n    raise NotImplementedError\n' in stub
    assert "            # TODO\n            return []\n" in stub
    assert stub.startswith('"""Doc."""\nimport torch\n') and "class C:" in stub
    assert solution_lines(MARKED, "f.py") == ["    y = x + 1", "    return y", "            return [1, 2]"]


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("def f():\n    # BEGIN SOLUTION\n    return 1\n", 2, "never closed"),
        ("def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n", 3,
         "inside the region"),
        ("def f():\n    return 1\n    # END SOLUTION\n", 3, "without a BEGIN"),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", 1, "inside a function"),
        ("def f():\n    # BEGIN SOLUTIONS\n    return 1\n", 2, "malformed marker"),
    ],
)
def test_malformed_markers_name_file_and_line(source, line, says):
    with pytest.raises(MarkerError, match=rf"^sol\.py:{line}: .*{says}"):
        make_stub(source, "sol.py")


def test_stub_notebook_opens_with_how_to_check():
    cells = json.loads(notebook_from_stub('"""Exercise 1: rows."""\nimport torch\n', "rows"))["cells"]
    assert [c["cell_type"] for c in cells] == ["markdown", "markdown", "code"]
    how = "".join(cells[0]["source"])
    assert how.startswith("**Check your work.** Save the notebook first")
    assert "%load_ext grader\n%dlgrade check rows\n" in how and 'check("rows")' in how and "%dlgrade hint rows" in how


HINTS = '''import pytest
from pytest import mark

TEXT = "a name"


@pytest.mark.hint("a literal, " "continued")
def test_ok(): pass


@pytest.mark.hint(TEXT)
def test_name(): pass


@mark.hint(f"{TEXT}")
def test_fstring(): pass


@pytest.mark.hint
def test_bare(): pass


@pytest.mark.hint(text="kw")
def test_keyword(): pass
'''


def test_hints_must_be_string_literals(course: Course, tmp_path):
    checks = tmp_path / "test_x.py"
    checks.write_text(HINTS)
    assert [p.split(": ")[0] for p in hint_problems(checks, tmp_path)] == [
        "test_x.py:11", "test_x.py:15", "test_x.py:19", "test_x.py:23"]
    assert all(p.endswith('a hint must be one string literal: @pytest.mark.hint("...")')
               for p in hint_problems(checks, tmp_path))
    assert not [p for ex in course.exercises for f in ex.check_files(hidden=True)
                for p in hint_problems(f, course.root)]


def test_committed_stubs_are_what_build_produces(course: Course):
    stale = [str(a.path.relative_to(course.root)) for a in artifacts(course) if a.stale]
    assert not stale, f"run `dlgrade build`: {stale}"


def _copy_course(tmp_path: Path) -> Path:
    """A private copy of the course to edit."""
    dest = tmp_path / "course"
    for rel in ("course.toml", "pyproject.toml", "exercises", "solutions", "grader/hidden"):
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel)
    return dest


def test_editing_a_solution_and_building_updates_the_stub(tmp_path):
    course_dir = _copy_course(tmp_path)
    solution = course_dir / "solutions" / "pad_collate.py"
    solution.write_text(solution.read_text().replace('"""A DataLoader over', '"""EDITED: a DataLoader over'))
    check = run_cli("build", "--check", "--course", str(course_dir / "course.toml"))
    assert check.returncode == 1 and "out of date: exercises/04_pad_collate/pad_collate.py" in check.stdout
    built = run_cli("build", "--course", str(course_dir / "course.toml"))
    assert built.returncode == 0, built.stderr
    stub = (course_dir / "exercises" / "04_pad_collate" / "pad_collate.py").read_text()
    assert '"""EDITED: a DataLoader over' in stub and "pad_sequence(seqs" not in stub


def _meaningful(line: str) -> bool:
    text = line.strip()
    return len(text) >= 25 and not text.startswith(("import ", "from ", "@", "#", '"""', "def test_"))


def test_release_bundle_holds_nothing_hidden(course: Course, tmp_path):
    out = tmp_path / "bundle.zip"
    proc = run_cli("release", str(out))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        text = "\n".join(zf.read(n).decode("utf-8", "replace") for n in names)
        readme = zf.read("README.md").decode()
        requires = tomllib.loads(zf.read("pyproject.toml").decode())["project"]["dependencies"]
    assert names == sorted(bundle_files(course))
    hidden_roots = [p.resolve().relative_to(course.root).as_posix() for p in course.hidden_paths]
    assert not [n for n in names if any(n == h or n.startswith(h + "/") for h in hidden_roots)]
    # Lines that stand in public sources too (a public check, the engine's own code) reveal nothing.
    hidden = [p.resolve() for p in course.hidden_paths]
    sources = [f for ex in course.exercises for f in ex.directory.rglob("*") if f.suffix in (".py", ".md")]
    sources += [f for f in (ROOT / "grader").rglob("*.py") if not any(f.resolve().is_relative_to(h) for h in hidden)]
    public = {line.strip().removeprefix(">>> ").removeprefix("... ") for f in sources
              for line in f.read_text().splitlines()}
    for ex in course.exercises:
        assert ex.hidden_checks is not None and ex.solution is not None
        assert ex.hidden_checks.name not in {Path(n).name for n in names}
        for line in ex.hidden_checks.read_text().splitlines():
            if _meaningful(line) and line.strip() not in public:  # a line shared with a public check is public
                assert line.strip() not in text, f"hidden check line in the bundle: {line.strip()!r}"
        rel = ex.solution.relative_to(course.root).as_posix()
        for line in solution_lines(ex.solution.read_text(), rel):
            if _meaningful(line):
                assert line.strip() not in text, f"solution line in the bundle: {line.strip()!r}"
        assert f"{ex.directory.relative_to(course.root).as_posix()}/{ex.name}.py" in names
        assert f"{ex.directory.relative_to(course.root).as_posix()}/README.md" in names
    notebook, terminal = readme.index("%load_ext grader"), readme.index(".venv/bin/dlgrade check exercises")
    assert notebook < terminal  # the notebook spelling first
    assert '%dlgrade check custom_dataset    # or: from grader import check; check("custom_dataset")' in readme
    assert "%dlgrade hint custom_dataset" in readme and "check --watch" in readme and "check --hints" in readme
    assert "Only the public checks run here" in readme and "hidden checks" in readme
    # what `%dlgrade check` and `dlgrade check --watch` need, installed by `pip install .` in the bundle
    assert {"grader/notebook_check/magic.py", "grader/watch.py"} <= set(names)
    assert any(r.startswith("watchfiles") for r in requires)


def test_bundle_runs_public_checks_and_refuses_to_grade(course: Course, tmp_path):
    bundle = tmp_path / "bundle"
    assert run_cli("release", str(bundle)).returncode == 0
    manifest = load_course(bundle / "course.toml")
    assert all(ex.hidden_checks is None and ex.solution is None for ex in manifest.exercises)
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copyfile(ROOT / "solutions" / "pad_collate.py", mine / "pad_collate.py")
    env = {k: v for k, v in os.environ.items() if k != "DLGRADE_COURSE"}  # the bundle's own manifest must be found
    proc = run_cli("check", str(mine), "--json", "-", cwd=bundle, env=env)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    pad = next(e for e in doc["exercises"] if e["name"] == "pad_collate")
    assert pad["score"] == pad["max_score"] > 0 and not any(c["hidden"] for c in pad["checks"])
    graded = run_cli("grade", str(mine), cwd=bundle, env=env)
    assert graded.returncode == 3 and "no hidden checks" in graded.stderr


def test_new_scaffolds_an_exercise_that_validates(tmp_path):
    course_dir = _copy_course(tmp_path)
    manifest = course_dir / "course.toml"
    before = manifest.read_text()
    proc = run_cli("new", "row_norms", "--title", "Row norms", "--course", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert manifest.read_text().startswith(before)  # appended; comments kept
    course = load_course(manifest)
    ex = course.exercise("row_norms")
    assert ex.directory.name.endswith("_row_norms") and (ex.directory / "row_norms.py").is_file()
    proc = run_cli("validate", "--course", str(manifest))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "row_norms" in proc.stdout
    again = run_cli("new", "row_norms", "--course", str(manifest))
    assert again.returncode == 2 and "already has an exercise" in again.stderr


def test_validate_flags_a_broken_solution_a_stale_stub_and_points_that_do_not_add_up(tmp_path):
    course_dir = _copy_course(tmp_path)
    solution = course_dir / "solutions" / "pad_collate.py"
    solution.write_text(solution.read_text().replace("batch_first=True", "batch_first=False"))
    manifest = course_dir / "course.toml"
    manifest.write_text(manifest.read_text().replace('name = "text_clean"\n', 'name = "text_clean"\npoints = 7\n'))
    proc = run_cli("validate", "--course", str(manifest))
    assert proc.returncode == 1
    assert "pad_collate" in proc.stderr and "solution gets" in proc.stdout
    assert "text_clean" in proc.stderr
    assert "text_clean: checks are worth 10 points, the manifest says 7" in proc.stdout  # reported, not graded
    assert "custom_dataset" in proc.stdout and "custom_dataset:" not in proc.stdout  # the others are graded
