"""Grades into Canvas and Moodle: the import files filled in and re-read, and ``canvas push`` against a fake Canvas."""

from __future__ import annotations

import csv
import json
import threading
import unicodedata
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from grader.bulk.adjustments import Applied
from grader.bulk.gradebook import Fingerprint, Gradebook
from grader.cli.group import cli
from grader.exceptions import LmsError, UsageError
from grader.lms.canvas_csv import canvas_import, read_template
from grader.lms.canvas_push import CanvasTarget, feedback_comment, push
from grader.lms.csv_files import write_table
from grader.lms.moodle_csv import moodle_import
from grader.results import CheckResult, ExerciseResult, SubmissionResult

HW3 = "Homework 3: Sampling, part A (1234)"  # a comma in the header too


def result(student: str, score: float, penalty: float = 0.0, top: float = 10.0) -> SubmissionResult:
    """A graded submission worth ``score`` of ``top`` points, less ``penalty`` for lateness."""
    checks = (CheckResult("right", score, "passed"), CheckResult("wrong", top - score, "failed"))
    return SubmissionResult(student, exercises=(
        ExerciseResult("pad_collate", "Padding", top, "graded", checks=checks, penalty=penalty),))


RESULTS = [
    result("s001", 9, penalty=1.5),  # Canvas SIS User ID S001; the final score is 7.5
    result("AANGSTROM", 10),  # a login, in another case
    # a name in decomposed Unicode, other case and spacing, first name first where Canvas sorts by last name
    result(unicodedata.normalize("NFD", "róisín  \"ro\" o'brien"), 0),
    result("=Eve", 3),  # Canvas exports a name that starts with "=" as ="=Eve"
    result("mallory", 8),  # not in the course
]


def canvas_rows(delimiter: str) -> list[list[str]]:
    return [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 1 (1111)", HW3, "Current Score",
         "Unposted Final Score"],
        ["", "", "", "", "", "", "Manual Posting", "", ""],
        ["    Points Possible", "", "", "", "", "10", "10" if delimiter == "," else "10,0", "(read only)",
         "(read only)"],
        ["Smith, Jo", "101", "S001", "jsmith", "Section 1", "5", "", "50", "25"],
        ["Ångström, Åsa", "102", "S002", "aangstrom", "Section 1", "6", "", "60", "30"],
        ["O'Brien, Róisín \"Ro\"", "103", "S003", "rob", "Section 2, evening", "7", "", "70", "35"],
        ['="=Eve"', "104", "", "eve", "Section 2, evening", "8", "", "80", "40"],
        ["Zoë Müller", "105", "S005", "zmuller", "Section 1", "9", "4", "90", "45"],  # no dlgrade result
    ]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def read_csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_canvas_round_trip(tmp_path: Path, delimiter: str) -> None:
    template = write_csv(tmp_path / "export.csv", canvas_rows(delimiter), delimiter, bom=True)
    made = canvas_import(read_template(template), "homework 3: sampling,  PART A", RESULTS)
    write_table(made.table, tmp_path / "import.csv")
    raw = (tmp_path / "import.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # the template's byte order mark, kept
    rows = read_csv(tmp_path / "import.csv", delimiter)
    original = canvas_rows(delimiter)
    assert rows[0] == [*original[0][:5], HW3]  # the student columns and the one assignment; totals dropped
    assert rows[1] == ["", "", "", "", "", "Manual Posting"]
    assert rows[2][0] == "    Points Possible"
    assert [row[:5] for row in rows[3:]] == [row[:5] for row in original[3:]]  # Canvas's match keys, verbatim
    assert [row[5] for row in rows[3:]] == ["7.5", "10", "0", "3", "4"]  # Zoë keeps the grade she had
    assert [c.label for c in made.matching.unmatched_candidates] == ["Zoë Müller"]
    assert made.matching.unmatched_students == ("mallory",)
    assert made.matching.summary("Canvas") == (
        "4 of 5 Canvas students matched (1 by SIS User ID, 1 by SIS Login ID, 2 by name)")
    assert made.notes == ()  # 10 points in Canvas, 10 in dlgrade


def test_canvas_assignment_by_id_and_errors(tmp_path: Path) -> None:
    template = read_template(write_csv(tmp_path / "export.csv", canvas_rows(",")))
    assert template.header[template.column("1234")] == HW3
    assert template.header[template.column("(1111)")] == "Homework 1 (1111)"
    assert template.header[template.column(f" {HW3.upper()} ")] == HW3
    with pytest.raises(UsageError, match=r"no assignment column 'Homework 9'.*Homework 1 \(1111\); Homework 3") as exc:
        canvas_import(template, "Homework 9", RESULTS)
    assert "Current Score" not in str(exc.value) and exc.value.exit_code == 2
    with pytest.raises(UsageError, match="not a Canvas gradebook export"):
        read_template(write_csv(tmp_path / "other.csv", [["name", "score"], ["jo", "1"]]))


MOODLE_EXPORT = [  # Moodle's own grade export (plain text file)
    ["First name", "Last name", "ID number", "Institution", "Department", "Email address", "Homework 3 (Real)"],
    ["Jo", "Smith", "S001", "", "", "jo.smith@example.edu", "-"],
    ["Åsa", "Ångström", "", "", "", "Asa@Example.edu", "-"],
    ["Zoë", "Müller", "", "", "", "zoe@example.edu", "-"],
]
PARTICIPANTS = [
    ["username", "email", "firstname", "lastname"],
    ["jsmith", "jo.smith@example.edu", "Jo", "Smith"],
    ["aangstrom", "", "Åsa", "Ångström"],
    ["zmuller", "zoe@example.edu", "Zoë", "Müller"],
]


def test_moodle_by_email(tmp_path: Path) -> None:
    results = [result("s001", 9, penalty=1.5), result("asa@example.edu", 10), result("mallory", 1)]
    made = moodle_import(write_csv(tmp_path / "grades.csv", MOODLE_EXPORT), "email", "Homework 3", results)
    write_table(made.table, tmp_path / "moodle.csv")
    assert read_csv(tmp_path / "moodle.csv") == [
        ["Email address", "Homework 3"], ["jo.smith@example.edu", "7.5"], ["Asa@Example.edu", "10"]]
    assert [c.label for c in made.matching.unmatched_candidates] == ["Zoë Müller"]
    assert made.matching.unmatched_students == ("mallory",)


def test_moodle_by_username(tmp_path: Path) -> None:
    results = [result("JSMITH", 4), result("Åsa Ångström", 6)]  # a username, a full name
    roster = write_csv(tmp_path / "people.tsv", PARTICIPANTS, "\t")  # tab-separated, as Moodle may export
    made = moodle_import(roster, "username", "Homework 3", results)
    assert made.table.rows == (("Username", "Homework 3"), ("jsmith", "4"), ("aangstrom", "6"))
    with pytest.raises(UsageError, match="no Username column"):
        moodle_import(write_csv(tmp_path / "bare.csv", [["email"], ["a@b.c"]]), "username", "Homework 3", results)


# ---------------------------------------------------------------- canvas push, against a fake Canvas on loopback

USERS = [
    {"id": 11, "name": "Jo Smith", "sortable_name": "Smith, Jo", "sis_user_id": "S001", "login_id": "jsmith"},
    {"id": 12, "name": "Åsa Ångström", "sortable_name": "Ångström, Åsa", "sis_user_id": None,
     "login_id": "aangstrom"},
    {"id": 13, "name": "Bo Broken", "sortable_name": "Broken, Bo", "sis_user_id": "S013", "login_id": "bo"},
    {"id": 14, "name": "Zoë Müller", "sortable_name": "Müller, Zoë", "sis_user_id": "S005", "login_id": "zm"},
]
PUSHED = [result("s001", 9, penalty=1.5), result("aangstrom", 10), result("Bo Broken", 5), result("mallory", 8)]
TOKEN = "secret-token-1234"


class FakeCanvas(HTTPServer):
    """Canvas's course, assignment, users and submission endpoints; records every request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.grades: dict[int, str] = {}
        self.comments: dict[int, list[str]] = {}
        self.failing: set[int] = set()

    @property
    def puts(self) -> list[tuple[str, str, dict[str, list[str]]]]:
        return [r for r in self.requests if r[0] == "PUT"]

    def submission(self, user: int) -> dict[str, Any]:
        grade = self.grades.get(user)
        return {"user_id": user, "assignment_id": 7, "score": grade and float(grade),
                "entered_score": grade and float(grade),
                "submission_comments": [{"comment": text} for text in self.comments.get(user, [])]}


class _Handler(BaseHTTPRequestHandler):
    server: FakeCanvas

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        params = parse_qs(url.query) | parse_qs(self.rfile.read(length).decode())
        self.server.requests.append((method, url.path, params))
        assert self.headers["Authorization"] == f"Bearer {TOKEN}"
        parts = url.path.removeprefix("/api/v1/").split("/")
        if parts == ["courses", "1"]:
            return self._reply(200, {"id": 1, "name": "Data Loading 101"})
        if parts == ["courses", "1", "assignments", "7"]:
            return self._reply(200, {"id": 7, "course_id": 1, "name": "Homework 3", "points_possible": 10})
        if parts == ["courses", "1", "search_users"]:
            return self._reply(200, USERS)
        if parts[:-1] == ["courses", "1", "assignments", "7", "submissions"]:
            user = int(parts[-1])
            if method == "PUT":
                if user in self.server.failing:
                    return self._reply(500, {"errors": [{"message": "boom"}]})
                if "submission[posted_grade]" in params:
                    self.server.grades[user] = params["submission[posted_grade]"][0]
                if "comment[text_comment]" in params:
                    self.server.comments.setdefault(user, []).append(params["comment[text_comment]"][0])
            return self._reply(200, self.server.submission(user))
        return self._reply(404, {"errors": [{"message": "not found"}]})

    def do_GET(self) -> None:
        self._route("GET")

    def do_PUT(self) -> None:
        self._route("PUT")


@pytest.fixture
def canvas() -> Iterator[FakeCanvas]:
    server = FakeCanvas()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def target(server: FakeCanvas) -> CanvasTarget:
    return CanvasTarget(f"http://127.0.0.1:{server.server_port}", 1, 7)


def test_push_dry_run_writes_nothing(canvas: FakeCanvas) -> None:
    report = push(PUSHED, target(canvas), TOKEN, apply=False)
    assert canvas.puts == []
    assert [(u.student, u.action, u.grade) for u in report.updates] == [
        ("s001", "grade and comment", "7.5"), ("aangstrom", "grade and comment", "10"),
        ("Bo Broken", "grade and comment", "5")]
    assert {path for _, path, _ in canvas.requests} >= {
        "/api/v1/courses/1", "/api/v1/courses/1/assignments/7", "/api/v1/courses/1/search_users"}
    assert [c.label for c in report.matching.unmatched_candidates] == ["Zoë Müller"]
    assert report.matching.unmatched_students == ("mallory",)


def test_push_apply_is_idempotent_and_reports_failures(canvas: FakeCanvas) -> None:
    canvas.failing = {13}
    report = push(PUSHED, target(canvas), TOKEN, apply=True)
    assert [path.rsplit("/", 1)[1] for _, path, _ in canvas.puts] == ["11", "12", "13"]  # one PUT per student
    assert [params["submission[posted_grade]"] for _, _, params in canvas.puts] == [["7.5"], ["10"], ["5"]]
    assert canvas.grades == {11: "7.5", 12: "10"}  # the others went through
    assert [(u.student, u.error) for u in report.failed] == [("Bo Broken", "Encountered an error: status code 500")]
    comment, marker = feedback_comment(PUSHED[0])
    assert canvas.comments[11] == [comment] and marker in comment and "Feedback for s001" in comment
    canvas.failing.clear()
    canvas.requests.clear()
    push(PUSHED, target(canvas), TOKEN, apply=True)
    assert [path.rsplit("/", 1)[1] for _, path, _ in canvas.puts] == ["13"]  # only what failed before
    canvas.requests.clear()
    report = push(PUSHED, target(canvas), TOKEN, apply=True)
    assert canvas.puts == [] and {u.action for u in report.updates} == {"up to date"}


def test_push_refuses_to_send_the_token_in_clear() -> None:
    with pytest.raises(UsageError, match="https"):
        push(PUSHED, CanvasTarget("http://canvas.example.edu", 1, 7), TOKEN, apply=False)
    with pytest.raises(UsageError, match="CANVAS_API_TOKEN"):
        push(PUSHED, CanvasTarget("https://canvas.example.edu", 1, 7), "", apply=False)


# ---------------------------------------------------------------- the commands, in-process


def graded_folder(tmp_path: Path, results: list[SubmissionResult], penalties: dict[str, float]) -> Path:
    """A grade-all --out folder: ``results`` as graded, then ``penalties`` applied by the late policy."""
    out = tmp_path / "out"
    with Gradebook(out / "gradebook.sqlite") as book:
        run = book.start_run("test", 1)
        for r in results:
            book.save(run, r.submission, "hash", r, {e.name: Fingerprint("s", "t", "test") for e in r.exercises})
        book.amend([Applied(student, "pad_collate", "2025-01-01T00:00:00+00:00", penalty, "late", "")
                    for student, penalty in penalties.items()])
    return out


def test_cli_export_canvas_and_push(tmp_path: Path, canvas: FakeCanvas, monkeypatch: pytest.MonkeyPatch) -> None:
    out = graded_folder(tmp_path, [result("s001", 9), result("mallory", 8)], {"s001": 1.5})
    template = write_csv(tmp_path / "export.csv", canvas_rows(","))
    runner = CliRunner()
    done = runner.invoke(cli, ["export", "canvas", str(out), "--template", str(template), "--assignment", "1234",
                               "--to", str(tmp_path / "import.csv")])
    assert done.exit_code == 0, done.output
    assert "1 of 5 Canvas students matched (1 by SIS User ID)" in done.output and "mallory" in done.output
    assert read_csv(tmp_path / "import.csv")[3] == ["Smith, Jo", "101", "S001", "jsmith", "Section 1", "7.5"]
    missing = runner.invoke(cli, ["export", "canvas", str(out), "--template", str(template), "--assignment", "HW9",
                                  "--to", str(tmp_path / "x.csv")])
    assert isinstance(missing.exception, UsageError) and not (tmp_path / "x.csv").exists()
    monkeypatch.setenv("CANVAS_API_TOKEN", TOKEN)
    canvas.failing = {11}
    pushed = runner.invoke(cli, ["canvas", "push", str(out), "--url", target(canvas).url, "--course", "1",
                                 "--assignment", "7", "--apply"])
    assert isinstance(pushed.exception, LmsError) and "status code 500" in pushed.output
    assert TOKEN not in pushed.output
