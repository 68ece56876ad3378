"""``dlgrade similarity``: disguised copies found, independent work and stubs not flagged, safe pages, bad input.

Everything here reads and compares files only (no sandbox), except one small
``grade-all`` run that checks the section of ``report.html``.
"""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tokenize
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import COURSE_FILE, ROOT, SUBMISSIONS, write_files
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import grader.bulk.comparing as comparing
from grader.bulk.comparing import Comparison
from grader.cli import cli
from grader.course import Course, load_course
from grader.similarity.compare import Settings, compare
from grader.similarity.corpus import Author, Document, stub_fingerprints
from grader.similarity.find import find_similar
from grader.similarity.fingerprint import fingerprints
from grader.similarity.normalise import normalise

SOLUTION = (ROOT / "solutions" / "text_clean.py").read_text(encoding="utf-8")
# text_clean's reference, renamed, reformatted, recommented, reordered: as one copier hides a copy
DISGUISED = '''
# my regex helpers
import re


def remove_chars(s: str, bad: str) -> str:
    if bad:   # only when there is something to remove
        s = re.sub(
            '[' + re.escape(bad) + ']', ' ', s,
        )
    return normalize_spaces(s)


def normalize_spaces(s: str) -> str:
    """My own helper."""
    return re.sub(r'\\s+', ' ', s).strip()
'''


def disguised_cells(code: str, keep: set[str]) -> list[str]:
    """``code`` with every name it binds renamed (but ``keep``), docstrings gone, top-level blocks reversed,
    a comment above each, one notebook cell each."""
    tree = ast.parse(code)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)} | {
        n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    lines = code.split("\n")
    for tok in reversed(list(tokenize.generate_tokens(io.StringIO(code).readline))):
        row, col = tok.start
        if tok.type == tokenize.NAME and tok.string in bound - keep - {"self"}:
            lines[row - 1] = lines[row - 1][:col] + "my_" + lines[row - 1][col:]
        elif tok.type == tokenize.STRING and lines[row - 1].lstrip().startswith('"""'):
            lines[row - 1: tok.end[0]] = [""] * (tok.end[0] - row + 1)  # docstrings (whole lines) out
    tree = ast.parse("\n".join(lines))
    blocks = ["\n".join(lines[n.lineno - 1: n.end_lineno]) for n in tree.body]
    return [f"# part {i}, written by me\n{block}" for i, block in enumerate(reversed(blocks))]


HOSTILE_ID = "<img src=x onerror=alert(1)>"
HOSTILE_CODE = '# </pre><script>alert(2)</script>\n'


def _notebook(cells: list[str]) -> str:
    return nbformat.writes(new_notebook(cells=[new_markdown_cell("# my work"), *map(new_code_cell, cells)]))


def _class(folder: Path, students: dict[str, dict[str, str | bytes]]) -> Path:
    for student, files in students.items():
        write_files(folder / student, files)
    return folder


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_FILE)


def _custom_dataset_class(folder: Path) -> Path:
    """The reference, its disguised copy as a notebook, and the three independently written correct variants."""
    reference = (ROOT / "solutions" / "custom_dataset.py").read_text(encoding="utf-8")
    public = {"CSVDataset", "ImageFolderDataset", "__init__", "__len__", "__getitem__"}
    students: dict[str, dict[str, str | bytes]] = {
        "alice": {"custom_dataset.py": reference},
        "bob": {"custom_dataset.ipynb": _notebook(disguised_cells(reference, public))},
    }
    for index, path in enumerate(sorted((SUBMISSIONS / "custom_dataset").glob("correct_*.py"))):
        students[f"indep{index}"] = {"custom_dataset.py": path.read_text(encoding="utf-8")}
    return _class(folder, students)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["similarity", *args, "--course", str(COURSE_FILE)], catch_exceptions=False)
    return result.exit_code, result.output


def test_a_disguised_copy_in_a_notebook_ranks_first_and_independent_work_is_not_flagged(course, tmp_path):
    result = find_similar(course, _custom_dataset_class(tmp_path / "class"))
    (exercise,) = [ex for ex in result.exercises if ex.name == "custom_dataset"]
    assert exercise.documents == 5
    assert [(p.a.author.id, p.b.author.id) for p in exercise.pairs] == [("alice", "bob")]
    top = exercise.pairs[0]
    assert top.score > 0.8 and top.b.file == "custom_dataset.ipynb"
    assert top.lines_a and top.lines_b


def test_the_comparison_beside_the_grading_gives_the_same_answer_or_none(course, tmp_path, monkeypatch):
    folder = _custom_dataset_class(tmp_path / "class")
    beside = Comparison(course, folder).result()
    assert beside is not None and beside == find_similar(course, folder)

    def broken(*args: object) -> None:
        raise RecursionError("a bug in the comparison")

    monkeypatch.setattr(comparing, "find_similar", broken)
    failed = Comparison(course, folder)
    assert failed.result() is None  # the report goes without the section; the grading never waits on it
    failed.close()


def test_normalisation_ignores_names_layout_comments_docstrings_and_order():
    plain = "def f(a, b):\n    total = a + b\n    return sorted(total)\n\n\ndef g(x):\n    return f(x, x)[0]\n"
    dressed = ('def helper(value):\n    """Docs."""\n    return add_them(value, value,)[0]  # note\n\n'
               "def add_them(p, q):\n    s = p + \\\n        q\n    return sorted(s);\n")
    assert sorted(u.tokens for u in normalise(plain)) == sorted(u.tokens for u in normalise(dressed))
    assert normalise("x.shape")[0].tokens != normalise("x.size")[0].tokens  # what the code uses stays


def test_the_stub_is_never_counted_as_shared(course, tmp_path):
    exercise = course.exercise("custom_dataset")
    stub = (exercise.directory / "custom_dataset.py").read_text(encoding="utf-8")
    stub_notebook = (exercise.directory / "custom_dataset.ipynb").read_text(encoding="utf-8")
    folder = _class(tmp_path / "class", {"ann": {"custom_dataset.py": stub}, "ben": {"custom_dataset.py": stub},
                                         "cy": {"custom_dataset.ipynb": stub_notebook}})
    anything = Settings(threshold=0.0, min_shared=1)
    result = find_similar(course, folder, settings=anything)
    assert all(not ex.pairs for ex in result.exercises)
    hashes = fingerprints(normalise(stub))
    docs = [Document(Author(name), "custom_dataset", "x.py", stub, hashes) for name in ("ann", "ben")]
    assert hashes and compare(docs, set(), anything)  # the same files do pair up when the stub is not left out
    assert not compare(docs, stub_fingerprints(exercise), anything)


def test_cli_writes_pages_and_json_and_labels_archived_students(tmp_path):
    current = _class(tmp_path / "now", {"alice": {"text_clean.py": SOLUTION},
                                        "carol": {"text_clean.py": (SUBMISSIONS / "text_clean" / "correct_loop.py")
                                                  .read_text(encoding="utf-8")}})
    archive = _class(tmp_path / "2024", {"bob": {"homework.ipynb": _notebook([DISGUISED])},
                                         "dan": {"text_clean.py": SOLUTION}})
    code, output = _run(str(current), "--out", str(tmp_path / "out"), "--json", str(tmp_path / "pairs.json"),
                        "--against", str(archive))
    assert code == 0, output
    assert "reason to look, not proof" in output
    pairs = json.loads((tmp_path / "pairs.json").read_text())
    assert {(p["student_a"], p["student_b"], p["archived_b"]) for p in pairs} == {("alice", "bob", True),
                                                                                  ("alice", "dan", True)}
    for pair in pairs:
        assert pair["exercise"] == "text_clean" and 0 < pair["score"] <= 1 and not pair["archived_a"]
        assert {"shared", "fraction_a", "fraction_b", "lines_a", "lines_b", "file_a", "file_b"} <= set(pair)
        assert (tmp_path / "out" / pair["page"]).is_file()
    index = (tmp_path / "out" / "index.html").read_text()
    assert "archived</span>" in index and "not proof" in index and "Nothing here changes a grade" in index


def test_hostile_names_and_code_are_escaped_in_every_page(tmp_path):
    code = HOSTILE_CODE + SOLUTION
    folder = _class(tmp_path / "class", {HOSTILE_ID: {"text_clean.py": code}, "eve": {"text_clean.py": code}})
    exit_code, output = _run(str(folder), "--out", str(tmp_path / "out"))
    assert exit_code == 0, output
    pages = sorted((tmp_path / "out").iterdir())
    assert len(pages) == 2
    for page in pages:
        html = page.read_text()
        assert "<img src" not in html and "<script" not in html, page.name
        assert "Content-Security-Policy" in html
    pair_page = (tmp_path / "out" / "text_clean-1.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in pair_page and "&lt;/pre&gt;&lt;script&gt;" in pair_page


def test_bad_input_never_crashes(course, tmp_path):
    (tmp_path / "empty").mkdir()
    code, output = _run(str(tmp_path / "empty"), "--out", str(tmp_path / "out0"), "--json", "-")
    assert code == 0 and "[]\n" in output
    assert "No pairs flagged" in (tmp_path / "out0" / "index.html").read_text()
    broken = {
        "latin1": {"text_clean.py": b"x = '\xe9t\xe9'\n" * 50},  # not UTF-8: noted, not compared
        "syntax": {"text_clean.py": "def f(:\n    '''never closed\n" + SOLUTION},  # does not tokenize
        "indent": {"text_clean.py": "  x = 1\n" + SOLUTION + "\n\tbad = (\n"},  # does not parse
        "notebook": {"text_clean.ipynb": "{not json"},
        "deep": {"text_clean.py": "x = " + "(" * 5000 + ")" * 5000 + "\n"},
        "binary": {"pad_collate.py": bytes(range(256)) * 8},
    }
    folder = _class(tmp_path / "class", broken)
    result = find_similar(course, folder)
    assert result.students >= 3
    assert any("latin1" in note for note in result.notes)
    for text in ["def f(:\n  '''", "\tif x:\n  y\n", "\x00\x1b[2J", "f'{", "(" * 5000, ""]:
        fingerprints(normalise(text))  # never raises


def test_grade_all_report_has_the_section_and_pair_pages(tmp_path):
    folder = _class(tmp_path / "class", {"alice": {"text_clean.py": SOLUTION},
                                         "bob": {"homework.ipynb": _notebook([DISGUISED])}})
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "grader", "grade-all", str(folder), "--out", str(out),
                           "--course", str(COURSE_FILE), "--jobs", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = (out / "report.html").read_text()
    assert 'id="similarity"' in report and "not proof" in report
    assert 'href="similarity/text_clean-1.html"' in report
    assert "alice" in (out / "similarity" / "text_clean-1.html").read_text()
