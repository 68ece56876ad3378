"""``dlgrade canvas push``: grades and feedback comments through Canvas's REST API (with canvasapi).

It reads the course, the assignment and the course's students (matched to
dlgrade ids as in the CSV import: SIS User ID, then login, then name), then
per matched student the submission with its comments, and writes (``PUT
/api/v1/courses/:course/assignments/:assignment/submissions/:user``) only
what differs: ``submission[posted_grade]`` when the grade entered in Canvas is
not the final score, ``comment[text_comment]`` (the student's feedback page,
as Markdown) unless a comment already carries its marker, a hash of the
feedback's text. So a second run writes nothing, and changed feedback is
posted again. Nothing is written unless ``apply``. A student whose request
fails is reported and the others still go through.

The access token is only ever sent to ``url``, which must be https (plain
http is allowed on loopback only).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from canvasapi import Canvas
from canvasapi.exceptions import CanvasException
from requests import RequestException

from grader.exceptions import LmsError, UsageError
from grader.lms.grades import lms_grade, points_text, scale_notes
from grader.lms.matching import Candidate, Matching, match
from grader.report.student_feedback import markdown
from grader.results import SubmissionResult

TIERS = ("SIS User ID", "login", "name")
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
ERRORS = (CanvasException, RequestException)  # what a request to Canvas raises
PAGE = 100  # users per request


@dataclass(frozen=True)
class CanvasTarget:
    """Where grades go: the Canvas address (``https://canvas.example.edu``), a course and an assignment id."""

    url: str
    course: int
    assignment: int


@dataclass(frozen=True)
class Update:
    """One matched student: the grade Canvas has, the one to post, what is (or would be) written, any error."""

    student: str
    user: str
    current: str
    grade: str
    post_grade: bool = False
    post_comment: bool = False
    error: str = ""

    @property
    def action(self) -> str:
        """``grade``, ``comment``, ``grade and comment``, or ``up to date``."""
        parts = [word for word, on in (("grade", self.post_grade), ("comment", self.post_comment)) if on]
        return " and ".join(parts) or "up to date"


@dataclass(frozen=True)
class PushReport:
    """What a push did (``applied``) or would do."""

    course: str
    assignment: str
    applied: bool
    updates: tuple[Update, ...]
    matching: Matching
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> list[Update]:
        """The students whose requests failed."""
        return [u for u in self.updates if u.error]


def feedback_comment(result: SubmissionResult) -> tuple[str, str]:
    """The comment posted for ``result`` and its marker: the feedback page, then a line with a hash of it."""
    text = markdown(result)
    marker = f"[dlgrade feedback {hashlib.sha256(text.encode()).hexdigest()[:12]}]"
    return f"{text.rstrip()}\n\n{marker}", marker


def push(results: Sequence[SubmissionResult], target: CanvasTarget, token: str, apply: bool,
         on_update: Callable[[Update], None] = lambda update: None) -> PushReport:
    """Post each matched student's final score and feedback to ``target`` (only when ``apply``)."""
    canvas = _canvas(target.url, token)
    try:
        course = canvas.get_course(target.course)
        assignment = course.get_assignment(target.assignment)
        users = list(course.get_users(enrollment_type=["student"], per_page=PAGE))
    except ERRORS as exc:
        raise LmsError(f"Canvas at {target.url}: {_reason(exc)} (check the token, --course and --assignment)")
    candidates = [Candidate(str(getattr(u, "name", u.id)), (
        (str(getattr(u, "sis_user_id", "") or ""),), (str(getattr(u, "login_id", "") or ""),),
        tuple(str(getattr(u, key, "") or "") for key in ("name", "sortable_name")))) for u in users]
    matching = match(candidates, TIERS, [r.submission for r in results])
    by_id = {r.submission: r for r in results}
    updates = []
    for user, candidate, found in zip(users, candidates, matching.found, strict=True):
        if found is not None:
            update = _update(assignment, user.id, candidate.label, by_id[found.student], apply)
            on_update(update)
            updates.append(update)
    points = getattr(assignment, "points_possible", None)
    return PushReport(str(course.name), str(assignment.name), apply, tuple(updates), matching,
                      scale_notes(float(points) if points is not None else None, results))


def _update(assignment: Any, user_id: int, label: str, result: SubmissionResult, apply: bool) -> Update:
    grade = lms_grade(result)
    comment, marker = feedback_comment(result)
    try:
        submission = assignment.get_submission(user_id, include=["submission_comments"])
        entered = getattr(submission, "entered_score", None)
        score = entered if entered is not None else getattr(submission, "score", None)
        current = "" if score is None else points_text(float(score))
        comments = getattr(submission, "submission_comments", None) or []
        update = Update(result.submission, label, current, grade, post_grade=current != grade,
                        post_comment=not any(marker in str(c.get("comment", "")) for c in comments))
        changes: dict[str, dict[str, str]] = {}
        if update.post_grade:
            changes["submission"] = {"posted_grade": grade}
        if update.post_comment:
            changes["comment"] = {"text_comment": comment}
        if changes and apply:
            submission.edit(**changes)
    except ERRORS as exc:
        return Update(result.submission, label, "", grade, error=_reason(exc))
    return update


def _canvas(url: str, token: str) -> Any:
    """A canvasapi client for ``url``, refusing to send the token in clear beyond this machine."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise UsageError(f"--url must start with https:// (the access token would travel in clear): {url}")
    if "/api/" in parts.path + "/" or parts.query:
        raise UsageError(f"--url is the address of Canvas itself, e.g. https://canvas.example.edu: {url}")
    if not token:
        raise UsageError("no Canvas access token: set CANVAS_API_TOKEN (Canvas: Account > Settings > "
                         "New access token)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # canvasapi warns of http://, which only loopback gets this far with
        return Canvas(url.rstrip("/"), token)


def _reason(exc: BaseException) -> str:
    """A failed request, in one line of at most 200 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"
