"""What a student controls reaches the instructor's browser, terminal, spreadsheet and Markdown as inert text.

One class with hostile students is graded once with ``grade-all`` (and once with ``grade`` for the terminal
view); every output is then read back and, for the pages, opened in headless Chromium.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import COURSE_FILE, ROOT, run_cli
from markdown_it import MarkdownIt

from grader.bulk.exports import write_outputs
from grader.bulk.gradebook import Gradebook
from grader.bulk.overrides import open_class, set_override
from grader.course import load_course
from grader.report.classroom import classroom_result
from grader.report.control_chars import show_controls
from grader.report.gradescope import gradescope_results
from grader.report.junit import junit_xml
from grader.report.step_summary import step_summary
from grader.report.student_feedback import markdown
from grader.report.student_files import student_stem

pytestmark = pytest.mark.slow

PAYLOAD = ("<script>console.log('XSS-RAN-SCRIPT');document.title='pwned'</script>"
           "<img src=x onerror=\"console.log('XSS-RAN-IMG')\">")
HOSTILE = f'''PAYLOAD = {PAYLOAD!r}
print("\\x1b[2J\\x1b]0;pwned\\x07\\x1b]8;;http://evil.example/\\x07click\\x1b]8;;\\x07\\r\\x08 \\u202eevil\\u202c "
      "\\x9b31m [bold red]FAKE[/] =1+2 " + PAYLOAD)
print("```\\n</pre>" + PAYLOAD + "\\n| a | b |\\n[link](javascript:alert(1)) ![x](http://evil.example/x.png)")


def normalize_spaces(text):
    raise ValueError(PAYLOAD + " ``` | [x](javascript:alert(1)) \\x1b[31m")


def remove_chars(text, chars):
    raise ValueError("line one\\n```\\n" + PAYLOAD + "\\n```")
'''
MARKUP_ID = "<img src=x onerror=console.log('XSS-RAN-ID')>"
ESCAPE_ID = "esc\x1b]0;pwned\x07\x1b[31m\u202e[bold red]FAKE"
FORMULA_IDS = ("=1+2", "-5", "@SUM(1)")
MATH_ID = "$\\notacommand$"  # matplotlib's math mode: a parse error once ended the report
SKIPPED = "\x1b]0;pwned\x07[red]notes.txt"  # not a submission: named in a note
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
SOLUTION = (ROOT / "solutions" / "text_clean.py").read_text()


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    cls = base / "class"
    for sid, code in ((MARKUP_ID, HOSTILE), (ESCAPE_ID, HOSTILE), *((s, SOLUTION) for s in (*FORMULA_IDS, MATH_ID))):
        (cls / sid).mkdir(parents=True)
        (cls / sid / "text_clean.py").write_text(code)
    (cls / SKIPPED).write_text("not a submission")
    return cls


@pytest.fixture(scope="module")
def graded(hostile_class):
    """The class graded, the hostile students late (by the course's due date) and one score overridden with a
    reason that is markup too: the pages show penalties and overrides beside student text."""
    out = hostile_class.parent / "out"
    times = hostile_class.parent / "times.csv"
    with times.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("student", "submitted_at"), *((sid, "2026-03-02T12:00:00+01:00")
                                                                  for sid in (MARKUP_ID, ESCAPE_ID))])
    env = {**os.environ, "COLUMNS": "400"}
    proc = run_cli("grade-all", str(hostile_class), "--out", str(out), "--jobs", "1", "--times", str(times),
                   env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open_class(out) as book:
        write_outputs(load_course(COURSE_FILE), set_override(book, MARKUP_ID, "text_clean", 5, "why: " + PAYLOAD),
                      out)
    return out, proc


@pytest.fixture(scope="module")
def results(graded):
    out, _ = graded
    with Gradebook(out / "gradebook.sqlite") as book:
        return {r.submission: r for r in book.results()}


class _Page(HTMLParser):
    """Every element (tag, attributes) and the page's text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text = self.title = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data
        if self.elements and self.elements[-1][0] == "title":
            self.title += data


def _pages(out: Path) -> list[Path]:
    return [out / "report.html", *sorted((out / "feedback").glob("*.html"))]


def test_pages_show_student_markup_as_text(graded):
    out, _ = graded
    for path in _pages(out):
        page = _Page(path.read_text())
        tags = [tag for tag, _ in page.elements]
        assert "script" not in tags, path.name
        assert not [a for _, attrs in page.elements for a in attrs if a.startswith("on")], path.name
        assert all(attrs.get("src", "").startswith("data:image/png;base64,")
                   for tag, attrs in page.elements if tag == "img"), path.name
        policy = [(n, attrs.get("content") or "") for n, (tag, attrs) in enumerate(page.elements)
                  if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(policy) == 1, path.name
        (at, content), = policy
        assert "default-src 'none'" in content and "unsafe" not in content, path.name
        assert at < tags.index("style") and at < tags.index("body")  # the policy governs all that follows
    for sid in (MARKUP_ID, ESCAPE_ID):
        page = _Page((out / "feedback" / f"{student_stem(sid)}.html").read_text())
        assert PAYLOAD in page.text and "\x1b" not in page.text and "\u202e" not in page.text
    report = _Page((out / "report.html").read_text()).text
    assert MARKUP_ID in report and MATH_ID in report and show_controls(ESCAPE_ID) in report
    adjusted = report.split("Deadlines, late penalties and overrides")[1].split("Students")[0]
    assert MARKUP_ID in adjusted and "1 day late" in adjusted and "set to 5 by an override" in adjusted
    assert "why: " + PAYLOAD in adjusted
    feedback = _Page((out / "feedback" / f"{student_stem(MARKUP_ID)}.html").read_text()).text
    assert "Score set to 5 by your instructor: why: " + PAYLOAD in feedback and "1 day late" in feedback


def _chromium(url: str, profile: Path) -> subprocess.CompletedProcess[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr",
         "--v=0", "--dump-dom", url], capture_output=True, text=True, timeout=120)


def test_hostile_pages_run_no_script_in_chromium(graded, tmp_path):
    out, _ = graded
    control = tmp_path / "control.html"
    control.write_text("<!doctype html><title>t</title><script>console.log('CONTROL-RAN')</script>")
    assert "CONTROL-RAN" in _chromium(control.as_uri(), tmp_path / "p0").stderr  # the console is visible here
    pages = [out / "report.html", *(out / "feedback" / f"{student_stem(s)}.html" for s in (MARKUP_ID, ESCAPE_ID))]
    for n, page in enumerate(pages, 1):
        proc = _chromium(page.as_uri(), tmp_path / f"p{n}")
        assert proc.returncode == 0, proc.stderr[-2000:]
        console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
        assert not console, (page.name, console)  # no payload ran, no policy violation (style, images)
        dom = _Page(proc.stdout)
        assert "</html>" in proc.stdout and dom.title.strip() != "pwned"
        assert not [tag for tag, attrs in dom.elements if tag == "script" or any(a.startswith("on") for a in attrs)]


def test_terminal_shows_student_text_inert(hostile_class, graded):
    _, bulk = graded
    env = {**os.environ, "COLUMNS": "400"}
    proc = run_cli("grade", str(hostile_class / MARKUP_ID), str(hostile_class / ESCAPE_ID), "--exercise",
                   "text_clean", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for shown in (proc.stdout, bulk.stdout):
        assert not CONTROLS.search(shown), CONTROLS.findall(shown)
    unwrapped = re.sub(r"[\s│]", "", proc.stdout)  # rich wraps the title (the student id) to the table's width
    for sid in (ESCAPE_ID, MARKUP_ID):  # each id as it is, its escapes visible, never read as markup
        assert re.sub(r"\s", "", show_controls(sid)) in unwrapped
    assert "[bold red]FAKE[/]" in proc.stdout  # what the code printed, as it is
    assert "[red]notes.txt: skipped" in bulk.stdout


def test_csv_cells_from_students_are_never_formulas(graded):
    out, _ = graded
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_id = {row["student"]: row for row in rows}
    for sid in FORMULA_IDS:
        row = by_id[f"'{sid}"]
        assert float(row["total"]) == 10.0 and float(row["text_clean"]) == 10.0
    assert not [row["student"] for row in rows if row["student"][:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {json.loads(p.read_text())["submission"] for p in (out / "results").glob("*.json")} >= set(FORMULA_IDS)


ALLOWED_TAGS = {"p", "h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "strong", "em",
                "code", "pre", "blockquote", "hr", "br"}


def _rendered_tags(text: str) -> set[str]:
    """Tags of the Markdown rendered as GitHub would (raw HTML passes through, tables on)."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(text)
    return {tag for tag, _ in _Page(html).elements}


def test_markdown_outputs_carry_no_student_html(graded, results):
    out, _ = graded
    for sid in (MARKUP_ID, ESCAPE_ID):
        result = results[sid]
        doc = gradescope_results(result)
        texts = {"feedback .md": (out / "feedback" / f"{student_stem(sid)}.md").read_text(),
                 "feedback notebook": markdown(result), "step summary": step_summary(result),
                 "gradescope": doc["output"], **{t["name"]: t["output"] for t in doc["tests"]}}
        for where, text in texts.items():
            assert _rendered_tags(text) <= ALLOWED_TAGS, (where, text)
            assert not CONTROLS.search(text), where
        assert PAYLOAD in _Page(MarkdownIt("commonmark").render(texts["feedback .md"])).text


def test_classroom_and_junit_carry_student_text_as_inert_text(results):
    hostile = results[ESCAPE_ID]
    for test in classroom_result(hostile)["tests"]:  # the reporter prints these into the Actions log
        assert not CONTROLS.search(test["name"] + test["message"]), test
    root = ET.fromstring(junit_xml([hostile]).split("\n", 1)[1])
    assert {el.tag for el in root.iter()} <= {"testsuites", "testsuite", "properties", "testcase", "failure",
                                              "error", "system-out", "system-err"}
    assert any(PAYLOAD in (el.text or "") for el in root.iter("failure"))
