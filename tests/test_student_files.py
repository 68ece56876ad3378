"""Every student gets output files of their own, named from their id alone (issue 11, data loss)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SUBMISSIONS, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook

from grader.bulk.gradebook import Gradebook
from grader.report.feedback_notebook import write_feedback_notebooks
from grader.report.student_files import student_stem

FULL = (ROOT / "solutions" / "text_clean.py").read_text()
PARTIAL = (SUBMISSIONS / "text_clean" / "buggy_no_strip.py").read_text()  # 6/10
FIRST = {"jo_smith": PARTIAL, "Alice": FULL}  # the class before two students join
LATER = {"jo smith": FULL, "alice": PARTIAL}  # each maps to its peer's old file name
NOTEBOOKS = ("jo_smith", "jo smith")  # these two hand in text_clean.ipynb


def _windows_safe(stem: str) -> bool:
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    return (stem.split(".")[0].lower() not in reserved and not stem.endswith((".", " "))
            and not any(c in '<>:"/\\|?*' or ord(c) < 32 for c in stem))


@settings(deadline=None)  # pure and fast; a loaded machine must not fail it
@given(st.text(max_size=300))
def test_a_stem_is_a_safe_file_name_for_any_id(student):
    stem = student_stem(student)
    assert stem == student_stem(student)  # from the id alone
    assert 0 < len(stem.encode()) <= 100 and stem.isascii() and stem not in (".", "..")
    assert not stem.startswith((".", "-")) and _windows_safe(stem)


@settings(deadline=None)
@given(st.lists(st.text(max_size=30), min_size=2, max_size=30, unique=True))
def test_distinct_ids_never_share_a_file_even_where_case_is_ignored(ids):
    stems = [student_stem(i).casefold() for i in ids]
    assert len(set(stems)) == len(ids)


def test_plain_ids_keep_their_name_others_get_a_readable_slug_and_hash():
    assert student_stem("jo_smith") == "jo_smith" and student_stem("doejane") == "doejane"
    assert student_stem("s01_buggy-v2.1") == "s01_buggy-v2.1"
    assert student_stem("jo smith").startswith("jo_smith~")
    assert student_stem("Alice").startswith("Alice~") and student_stem("alice") == "alice"
    assert student_stem("José Núñez").startswith("Jose_Nunez~")
    for odd in ("", ".", "..", "...", "con", "/", "\x1b[31m"):
        assert "~" in student_stem(odd)


def _write_class(folder: Path, students: dict[str, str]) -> None:
    for sid, code in students.items():
        (folder / sid).mkdir(parents=True)
        if sid in NOTEBOOKS:
            nbformat.write(new_notebook(cells=[new_code_cell(code)]), str(folder / sid / "text_clean.ipynb"))
        else:
            (folder / sid / "text_clean.py").write_text(code)


class _Links(HTMLParser):
    """The report's student table: (link target, link text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        self._href = href if tag == "a" and href.startswith("feedback/") else None

    def handle_data(self, data):
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The class graded once, then again after two students joined: (class, output, file names after run 1)."""
    base = tmp_path_factory.mktemp("names")
    cls, out = base / "class", base / "out"
    _write_class(cls, FIRST)
    first = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "1", timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    _write_class(cls, LATER)
    second = run_cli("grade-all", str(cls), "--out", str(out), "--jobs", "1", timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    return cls, out, before


@pytest.mark.slow
def test_students_whose_ids_look_alike_keep_their_own_results(runs):
    _, out, _ = runs
    everyone = {**FIRST, **LATER}
    for folder, suffix in (("results", ".json"), ("feedback", ".html"), ("feedback", ".md")):
        files = sorted((out / folder).glob(f"*{suffix}"))
        assert len({p.name.casefold() for p in files}) == len(everyone), files
    scores = {}
    for path in (out / "results").glob("*.json"):
        doc = json.loads(path.read_text())
        assert path.stem == student_stem(doc["submission"])
        scores[doc["submission"]] = doc["score"]
    assert scores == {sid: 10.0 if code == FULL else 6.0 for sid, code in everyone.items()}
    for sid in everyone:
        page = (out / "feedback" / f"{student_stem(sid)}.html").read_text()
        assert f"Feedback for {sid}<" in page


@pytest.mark.slow
def test_report_links_each_student_to_their_own_page(runs):
    _, out, _ = runs
    parser = _Links()
    parser.feed((out / "report.html").read_text())
    assert sorted(text for _, text in parser.links) == sorted({**FIRST, **LATER})
    for href, sid in parser.links:
        page = (out / href).read_text()
        assert f"<h1>Feedback for {sid}</h1>" in page


@pytest.mark.slow
def test_a_students_files_keep_their_names_when_others_join(runs):
    _, out, before = runs
    after = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert before <= after
    for sid in FIRST:
        assert {f"results/{student_stem(sid)}.json", f"feedback/{student_stem(sid)}.html"} <= before


@pytest.mark.slow
def test_feedback_notebooks_of_look_alike_students_stay_apart(runs, tmp_path):
    cls, out, _ = runs
    with Gradebook(out / "gradebook.sqlite") as book:
        results = {sid: book.result(sid) for sid in NOTEBOOKS}
    written = [path for sid in NOTEBOOKS for path in write_feedback_notebooks(results[sid], cls / sid, tmp_path)]
    assert len(set(written)) == len(NOTEBOOKS) == len(list(tmp_path.rglob("*.ipynb")))
    for sid in NOTEBOOKS:
        nb = nbformat.read(str(tmp_path / student_stem(sid) / "text_clean.ipynb"), as_version=4)
        assert f"# Feedback for {sid}" in nb.cells[0].source
