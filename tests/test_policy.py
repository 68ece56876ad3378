"""Course policies (grader/policy, the manifest's due dates and [late]): pure, in-process and fast."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.course import MANIFEST, Course, load_course
from grader.exceptions import CourseError, UsageError
from grader.policy.apply import apply_policy
from grader.policy.dates import parse_moment
from grader.policy.extensions import Extension, Extensions, add_extension, effective_due, read_extensions
from grader.policy.late import LatePolicy, Penalty, penalty_for, read_late
from grader.policy.times import MTIME, SubmissionTime, canvas_time, git_time, read_times, times_for
from grader.results import CheckResult, ExerciseResult, SubmissionResult

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=BERLIN)  # CET, +01:00
TEN_PERCENT = LatePolicy(penalty=10, per="day")


def late(delay: timedelta, policy: LatePolicy = TEN_PERCENT, raw: float = 8.0, due: datetime = DUE) -> Penalty:
    return penalty_for(raw, 10.0, due.astimezone(UTC) + delay, due, policy)  # elapsed time, not wall-clock


# ------------------------------------------------------------------ the arithmetic


def test_on_time_and_early_cost_nothing() -> None:
    assert late(timedelta(0)) == Penalty(0.0, "", timedelta(0))
    assert late(-timedelta(days=3)).points == 0.0


def test_grace_forgives_but_does_not_move_the_clock() -> None:
    policy = LatePolicy(grace=timedelta(minutes=15), penalty=10)
    assert late(timedelta(minutes=15), policy) == Penalty(0.0, "", timedelta(minutes=15))  # on time
    assert late(timedelta(minutes=16), policy).reason == "1 day late: -10 % of the 10 points"
    # 1 day and 5 minutes late is 2 started days from the due date, grace or not
    assert late(timedelta(days=1, minutes=5), policy).points == 2.0


def test_started_days_and_hours() -> None:
    assert late(timedelta(seconds=1)).points == 1.0
    assert late(timedelta(days=1)).points == 1.0
    assert late(timedelta(days=1, seconds=1)).points == 2.0
    hourly = LatePolicy(penalty=5, per="hour")
    assert late(timedelta(hours=2, minutes=30), hourly) == Penalty(1.5, "3 hours late: -15 % of the 10 points",
                                                                   timedelta(hours=2, minutes=30))


def test_a_percentage_is_of_the_possible_points_and_never_more_than_the_score() -> None:
    assert late(timedelta(days=2), raw=8.0).points == 2.0  # 20 % of 10, not of 8
    capped = late(timedelta(days=2), raw=1.5)
    assert (capped.points, capped.reason) == (1.5, "2 days late: -20 % of the 10 points (down to 0)")
    assert late(timedelta(days=30), raw=10.0).points == 10.0  # at most 100 %


def test_points_per_day_never_push_below_zero() -> None:
    policy = LatePolicy(penalty=2, percent=False)
    assert late(timedelta(days=3), policy, raw=10) == Penalty(6.0, "3 days late: -6 points", timedelta(days=3))
    assert late(timedelta(hours=1), LatePolicy(penalty=1, percent=False)).reason == "1 day late: -1 point"
    assert late(timedelta(days=3), policy, raw=4).points == 4.0


def test_late_without_a_penalty_is_still_said() -> None:
    assert late(timedelta(hours=3), LatePolicy()) == Penalty(0.0, "1 day late: no penalty", timedelta(hours=3))


def test_beyond_max_days_zero_or_not_accepted() -> None:
    zero = LatePolicy(penalty=10, max_days=3)
    assert late(timedelta(days=3), zero).points == 3.0  # 3 days late is still within the limit
    assert late(timedelta(days=3, minutes=1), zero) == Penalty(8.0, "more than 3 days late: scored 0",
                                                               timedelta(days=3, minutes=1))
    refused = late(timedelta(days=4), LatePolicy(penalty=10, max_days=3, after="not_accepted"))
    assert (refused.points, refused.accepted, refused.reason) == (8.0, False, "not accepted: more than 3 days late")
    hard = late(timedelta(minutes=20), LatePolicy(grace=timedelta(minutes=30), max_days=0, after="not_accepted"))
    assert hard.accepted  # within the grace
    hard = late(timedelta(minutes=31), LatePolicy(grace=timedelta(minutes=30), max_days=0, after="not_accepted"))
    assert (hard.accepted, hard.reason) == (False, "not accepted: submitted after the due date")


def test_time_zones_compare_instants() -> None:
    utc = datetime(2026, 12, 1, 22, 59, tzinfo=UTC)  # the same instant as DUE
    assert penalty_for(8, 10, utc, DUE, TEN_PERCENT).points == 0.0
    after_midnight_in_berlin = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 December in Berlin
    assert penalty_for(8, 10, after_midnight_in_berlin, DUE, TEN_PERCENT).late_by == timedelta(minutes=31)
    with pytest.raises(ValueError, match="aware"):
        penalty_for(8, 10, datetime(2026, 12, 2), DUE, TEN_PERCENT)


def test_a_day_is_24_hours_of_elapsed_time_across_the_october_dst_change() -> None:
    due = datetime(2026, 10, 24, 23, 59, tzinfo=BERLIN)  # CEST, +02:00; the clocks go back on 25 October
    next_day_same_clock = datetime(2026, 10, 25, 23, 59, tzinfo=BERLIN)  # CET, +01:00: 25 hours later
    result = penalty_for(8, 10, next_day_same_clock, due, TEN_PERCENT)
    assert (result.late_by, result.points, result.reason) == (timedelta(hours=25), 2.0,
                                                              "2 days late: -20 % of the 10 points")
    assert penalty_for(8, 10, datetime(2026, 10, 25, 22, 59, tzinfo=BERLIN), due, TEN_PERCENT).points == 1.0


@settings(max_examples=200, deadline=None)
@given(raw=st.floats(0, 10), early=st.integers(-10**6, 10**7), later=st.integers(0, 10**7),
       penalty=st.floats(0, 100), percent=st.booleans(), per=st.sampled_from(["day", "hour"]),
       max_days=st.none() | st.integers(0, 5), refuse=st.booleans(), grace=st.integers(0, 7200))
def test_a_penalty_is_between_zero_and_the_score_and_grows_with_lateness(
        raw: float, early: int, later: int, penalty: float, percent: bool, per: str, max_days: int | None,
        refuse: bool, grace: int) -> None:
    policy = LatePolicy(timedelta(seconds=grace), penalty, percent, "day" if per == "day" else "hour", max_days,
                        "not_accepted" if refuse and max_days is not None else "zero")
    first = late(timedelta(seconds=early), policy, raw)
    second = late(timedelta(seconds=early + later), policy, raw)
    assert 0.0 <= first.points <= second.points <= raw
    assert first.accepted or not second.accepted


# ------------------------------------------------------------------ the manifest

EXERCISE = '\n[[exercises]]\nname = "{name}"\ndirectory = "ex"\npublic_checks = "ex/test_public.py"\n'


def manifest(root: Path, text: str) -> Path:
    (root / "ex").mkdir(exist_ok=True)
    (root / "ex/test_public.py").write_text("", encoding="utf-8")
    (root / MANIFEST).write_text(text, encoding="utf-8")
    return root / MANIFEST


def course_error(root: Path, text: str) -> str:
    with pytest.raises(CourseError) as info:
        load_course(manifest(root, text))
    return str(info.value)


FULL = """
[course]
name = "Policies"
timezone = "Europe/Berlin"
due = "2026-12-01 23:59"

[late]
grace = "15min"
penalty = "10%"
per = "day"
max_days = 3
after = "not_accepted"
""" + EXERCISE.format(name="lab") + EXERCISE.format(name="other") + "due = 2026-12-08T12:00:00Z\n"


def test_due_dates_timezone_and_late_policy(tmp_path: Path) -> None:
    course = load_course(manifest(tmp_path, FULL))
    lab, other = course.exercises
    assert lab.due == DUE and lab.due.utcoffset() == timedelta(hours=1)
    assert other.due == datetime(2026, 12, 8, 12, tzinfo=UTC)  # a TOML offset date-time
    assert course.timezone == BERLIN
    assert course.late == LatePolicy(timedelta(minutes=15), 10.0, True, "day", 3, "not_accepted")


def test_no_due_date_means_no_policy(tmp_path: Path) -> None:
    course = load_course(manifest(tmp_path, EXERCISE.format(name="lab")))
    assert (course.exercises[0].due, course.late, course.timezone) == (None, None, None)


def test_defaults_due_over_course_due_and_offsets_need_no_zone(tmp_path: Path) -> None:
    text = ('[course]\ndue = "2026-12-01T23:59:00+01:00"\n[defaults]\ndue = "2026-12-02T23:59:00+01:00"\n'
            + EXERCISE.format(name="lab"))
    assert load_course(manifest(tmp_path, text)).exercises[0].due == DUE + timedelta(days=1)


@pytest.mark.parametrize("due,expected", [
    ('"2026-12-01 23:59"', "exercise 'lab': due '2026-12-01 23:59' has no time zone: add an offset, as in "
                           "'2026-12-01T23:59:00+01:00', or set [course] timezone = 'Europe/Berlin'"),
    ("2026-12-01T23:59:00", "exercise 'lab': due '2026-12-01 23:59:00' has no time zone"),
    ('"2026-12-01"', "exercise 'lab': due '2026-12-01' is a date without a time"),
    ("2026-12-01", "exercise 'lab': due '2026-12-01' is not a date and a time"),
    ('"next friday"', "exercise 'lab': due 'next friday' is not an ISO 8601 date-time"),
])
def test_a_due_date_without_a_zone_or_time_names_the_exercise(tmp_path: Path, due: str, expected: str) -> None:
    assert expected in course_error(tmp_path, EXERCISE.format(name="lab") + f"due = {due}\n")


def test_unknown_zone_and_a_local_time_the_clocks_skip(tmp_path: Path) -> None:
    message = course_error(tmp_path, '[course]\ntimezone = "Europe/Berlinn"\ndue = "2026-12-01 23:59"\n'
                           + EXERCISE.format(name="lab"))
    assert message.endswith("[course]: unknown time zone 'Europe/Berlinn' (an IANA name such as 'Europe/Berlin' "
                            "or 'UTC')")  # the local due date is not blamed for it
    message = course_error(tmp_path, '[course]\ntimezone = "Europe/Berlin"\ndue = "2026-03-29 02:30"\n'
                           + EXERCISE.format(name="lab"))
    assert message.endswith("[course]: due '2026-03-29 02:30' does not exist in Europe/Berlin (the clocks skip it)")


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = ('[late]\ngraec = "15min"\npenalty = "150%"\nper = "week"\nmax_days = -1\ngrace = 15\n'
            + EXERCISE.format(name="lab") + 'due = "2026-12-01 23:59"\n')
    assert course_error(tmp_path, text) == f"""{tmp_path / MANIFEST}: 6 problems with due dates and the late policy:
  - exercise 'lab': due '2026-12-01 23:59' has no time zone: add an offset, as in '2026-12-01T23:59:00+01:00', \
or set [course] timezone = 'Europe/Berlin'
  - [late]: unknown key 'graec' (did you mean 'grace'?)
  - [late]: grace = 15 is not a duration: write '15min', '2h' or '1d'
  - [late]: penalty = '150%' is neither a percentage of the points up to 100 ('10%') nor a number of points (2)
  - [late]: per = 'week' must be 'day' or 'hour'
  - [late]: max_days = -1 must be a whole number of days, 0 or more"""


def test_late_table_spellings() -> None:
    assert read_late({"grace": "2h", "penalty": 2}) == (LatePolicy(timedelta(hours=2), 2.0, False), [])
    assert read_late({"grace": "1.5 d", "penalty": "12.5 %", "per": "hour"})[0] == LatePolicy(
        timedelta(days=1.5), 12.5, True, "hour")
    assert read_late({"after": "zero"}) == (None, ["[late]: after = 'zero' needs max_days (how many late days are "
                                                   "accepted)"])
    assert read_late({"penalty": "2", "max_days": True, "after": "never"})[1] == [
        "[late]: penalty = '2' is neither a percentage of the points up to 100 ('10%') nor a number of points (2)",
        "[late]: max_days = True must be a whole number of days, 0 or more",
        "[late]: after = 'never' must be 'zero' or 'not_accepted'"]
    assert read_late([1]) == (None, ["[late] must be a table"])


def test_dates_parser_reads_z_and_local_times_in_a_zone() -> None:
    assert parse_moment("2026-12-01T22:59:00Z") == DUE
    assert parse_moment("2026-12-01 23:59", BERLIN) == DUE
    assert parse_moment("2026-10-25 02:30", BERLIN).utcoffset() == timedelta(hours=2)  # the first of the two


# ------------------------------------------------------------------ extensions


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_extensions_exercise_rows_beat_star_rows(tmp_path: Path) -> None:
    ext = read_extensions(write(tmp_path / "ext.csv", "student,exercise,due,days,reason\n"
                                "alice,*,,1,\nalice,lab,,2,illness\nbob,*,2026-12-08T23:59:00+01:00,,exchange\n"))
    assert effective_due(DUE, "alice", "lab", ext) == (DUE + timedelta(days=2), "extension: +2 days (illness)")
    assert effective_due(DUE, "alice", "other", ext) == (DUE + timedelta(days=1), "extension: +1 day")
    assert effective_due(DUE, "bob", "lab", ext) == (DUE + timedelta(days=7),
                                                     "extension to 2026-12-08 23:59+01:00 (exchange)")
    assert effective_due(DUE, "carol", "lab", ext) == (DUE, "")
    assert effective_due(None, "alice", "lab", ext) == (None, "")  # no due date: nothing to extend


def test_an_extension_counts_from_the_original_due_date(tmp_path: Path) -> None:
    """Granted on 3 December for a 1 December deadline: +2 days is 3 December 23:59, not 5 December."""
    ext = Extensions((Extension("alice", "lab", days=2, reason="illness"),))
    due, _ = effective_due(DUE, "alice", "lab", ext)
    assert due is not None and due == datetime(2026, 12, 3, 23, 59, tzinfo=BERLIN)
    submitted = datetime(2026, 12, 4, 10, 0, tzinfo=BERLIN)
    assert penalty_for(8, 10, submitted, due, TEN_PERCENT).reason == "1 day late: -10 % of the 10 points"


def test_extension_days_keep_the_wall_clock_time_across_dst_and_never_shorten() -> None:
    due = datetime(2026, 10, 24, 23, 59, tzinfo=BERLIN)
    extended, _ = effective_due(due, "alice", "lab", Extensions((Extension("alice", "*", days=2),)))
    assert extended is not None and extended.isoformat() == "2026-10-26T23:59:00+01:00"
    earlier = Extensions((Extension("alice", "lab", due=DUE - timedelta(days=1)),))
    assert effective_due(DUE, "alice", "lab", earlier) == (DUE, "")


def test_a_malformed_extensions_file_names_each_line(tmp_path: Path) -> None:
    path = write(tmp_path / "ext.csv", "student,exercise,due,days,reason\n"
                 "alice,lab,2026-12-03 23:59,,\n"
                 "bob,lab,2026-12-03T23:59:00+01:00,2,\n"
                 "carol,lab,,,\n"
                 "dave,lba,,two,\n"
                 ",lab,,1,\n"
                 "erin,lab,soon,,\n"
                 "erin,lab,,1,\n"
                 "frank,lab,,1,,extra\n")
    with pytest.raises(UsageError) as info:
        read_extensions(path, exercises=["lab"])
    assert info.value.exit_code == 2
    assert str(info.value) == f"""extensions file {path}: 9 problems:
  - line 2: due '2026-12-03 23:59' has no time zone: add an offset, as in '2026-12-01T23:59:00+01:00'
  - line 3: both a due date and days: give one
  - line 4: neither a due date nor days: give one
  - line 5: unknown exercise 'lba' (did you mean 'lab'?)
  - line 5: days 'two' is not a whole number of days, 1 or more
  - line 6: no student
  - line 7: due 'soon' is not an ISO 8601 date-time such as '2026-12-01T23:59:00+01:00'
  - line 8: a second row for erin and lab (the first is on line 7)
  - line 9: 6 fields, but the header has 5"""
    local = write(tmp_path / "local.csv", "student,exercise,due\nalice,lab,2026-12-03 23:59\n")
    assert read_extensions(local, zone=BERLIN).entries[0].due == DUE + timedelta(days=2)


@pytest.mark.parametrize("text,expected", [
    ("", "is empty: its first line is the header student,exercise,due,days,reason"),
    ("student,exercise,due,dyas\n", "line 1: unknown column 'dyas' (did you mean 'days'?)"),
    ("student,exercise,reason\n", "line 1: no 'due' or 'days' column"),
    ("name,exercise,days,days\n", "3 problems:\n  - line 1: unknown column 'name'\n  - line 1: column 'days' appears "
                                  "twice\n  - line 1: no 'student' column"),
])
def test_a_bad_extensions_header(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(UsageError) as info:
        read_extensions(write(tmp_path / "ext.csv", text))
    assert str(info.value).endswith(expected)


def test_add_extension_creates_appends_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "policy" / "extensions.csv"
    assert add_extension(path, "alice", "lab", days=2, reason="illness") == Extension("alice", "lab", None, 2,
                                                                                      "illness")
    add_extension(path, "bob", "*", due=datetime(2026, 12, 8, 23, 59), reason="exchange, spring", zone=BERLIN)
    add_extension(path, "alice", "lab", days=3, reason="illness\n(longer)")
    assert path.read_text(encoding="utf-8") == ('student,exercise,due,days,reason\nalice,lab,,3,illness (longer)\n'
                                                'bob,*,2026-12-08T23:59:00+01:00,,"exchange, spring"\n')
    assert [e.student for e in read_extensions(path).entries] == ["alice", "bob"]
    with pytest.raises(UsageError, match="either a number of days or a new due date"):
        add_extension(path, "carol", "lab", days=1, due=DUE)
    with pytest.raises(UsageError, match="has no time zone"):
        add_extension(path, "carol", "lab", due=datetime(2026, 12, 8, 23, 59))
    with pytest.raises(UsageError, match="an extension of 0 days"):
        add_extension(path, "carol", "lab", days=0)


# ------------------------------------------------------------------ submission times


def test_gradescope_metadata(tmp_path: Path) -> None:
    (tmp_path / "submission_metadata.json").write_text(json.dumps(
        {"id": 1, "created_at": "2018-07-01T14:22:32.365935-07:00", "users": []}), encoding="utf-8")
    (found,) = times_for({"alice": tmp_path}, "auto").values()
    assert found == SubmissionTime(datetime(2018, 7, 1, 21, 22, 32, 365935, tzinfo=UTC),
                                   "gradescope submission_metadata.json")
    (tmp_path / "submission_metadata.json").write_text('{"created_at": "2018-07-01 14:22"}', encoding="utf-8")
    assert "has no time zone" in times_for({"alice": tmp_path}, "auto")["alice"].note


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_last_commit_time(tmp_path: Path) -> None:
    repo = tmp_path / "alice"
    repo.mkdir()
    (repo / "lab.py").write_text("x = 1\n", encoding="utf-8")
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-12-02T01:30:00+01:00", "GIT_AUTHOR_DATE": "2020-01-01T00:00Z",
           "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b"}
    for command in (["init", "-q"], ["add", "lab.py"], ["commit", "-q", "-m", "done"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, env=env, capture_output=True)
    found = times_for({"alice": repo}, "auto")["alice"]
    assert (found.at, found.source) == (DUE + timedelta(minutes=91), "git: last commit (committer date)")
    assert "student's clock" in found.note
    inside = repo / "sub"
    inside.mkdir()
    (inside / ".git").mkdir()  # a folder that is not a repository of its own
    assert git_time(inside).at is None
    assert git_time(tmp_path).note == f"{tmp_path.name} is not a git repository"


def test_times_file_with_push_times_and_zones(tmp_path: Path) -> None:
    path = write(tmp_path / "pushes.csv", "Student,push_time,repo\nalice,2026-12-01T20:00:00Z,r\n"
                 "alice,2026-12-01T23:00:00Z,r\nbob,2026-12-01 23:00,r\n")
    found = times_for(dict.fromkeys(["alice", "bob", "carol"], tmp_path), path, zone=BERLIN)
    assert found["alice"] == SubmissionTime(datetime(2026, 12, 1, 23, tzinfo=UTC), "times file pushes.csv (push_time)",
                                            "the latest of 2 rows")
    assert found["carol"] == SubmissionTime(None, "unknown", "not in the times file pushes.csv")
    assert found["bob"].at == DUE - timedelta(minutes=59)  # a local time, read in the zone given
    with pytest.raises(UsageError) as info:
        read_times(path)
    assert str(info.value) == f"times file {path}: line 4: push_time '2026-12-01 23:00' has no time zone: add an " \
                              "offset, as in '2026-12-01T23:59:00+01:00'"
    with pytest.raises(UsageError, match="one of 'submitted_at' or 'push_time'"):
        read_times(write(tmp_path / "both.csv", "student,submitted_at,push_time\n"))


def test_mtime_is_an_explicit_flagged_fallback(tmp_path: Path) -> None:
    (tmp_path / "lab.py").write_text("", encoding="utf-8")
    os.utime(tmp_path / "lab.py", (0, DUE.timestamp()))
    found = times_for({"alice": tmp_path}, "mtime")["alice"]
    assert (found.at, found.source) == (DUE, MTIME) and "not a real submission time" in found.source
    assert times_for({"alice": tmp_path}, "auto")["alice"].at is None  # never the default


def test_canvas_late_flag_is_not_a_time(tmp_path: Path) -> None:
    flagged = tmp_path / "doejane_LATE_1234_5678_lab.py"
    flagged.write_text("", encoding="utf-8")
    assert times_for({"doejane": flagged}, "auto")["doejane"] == SubmissionTime(
        None, "unknown", "Canvas marked it late but the export carries no time: give --times FILE")
    assert "carries no submission times" in (canvas_time(["doejane_1234_5678_lab.py"]) or SubmissionTime(None, "")).note
    assert canvas_time(["lab.py"]) is None
    assert "carries no time" in times_for({"x": tmp_path / "lab.py"}, "auto")["x"].note


# ------------------------------------------------------------------ applying it to a result


def graded(score: float, student: str = "alice") -> SubmissionResult:
    checks = (CheckResult("a", score, "passed"), CheckResult("b", 10 - score, "failed"))
    return SubmissionResult(student, exercises=(
        ExerciseResult("lab", "Lab", 10, "graded", checks=checks),
        ExerciseResult("other", "Other", 10, "missing")))


def policy_course(tmp_path: Path) -> Course:
    return load_course(manifest(tmp_path, FULL.replace('"not_accepted"', '"zero"')))


def test_apply_policy_sets_penalties_and_keeps_raw_scores(tmp_path: Path) -> None:
    course = policy_course(tmp_path)
    at = SubmissionTime(datetime(2026, 12, 3, 10, tzinfo=UTC), "times file t.csv (submitted_at)")
    ext = Extensions((Extension("alice", "lab", days=1, reason="illness"),))
    result = apply_policy(course, graded(8), at, ext)
    lab, other = result.exercises
    assert (result.submitted_at, result.time_source) == ("2026-12-03T10:00:00+00:00", "times file t.csv (submitted_at)")
    assert (lab.score, lab.penalty, lab.final_score, lab.due, lab.extended) == (
        8.0, 1.0, 7.0, "2026-12-02T23:59:00+01:00", True)
    assert lab.penalty_reason == "extension: +1 day (illness); 1 day late: -10 % of the 10 points"
    assert (other.penalty, other.penalty_reason, other.due) == (0.0, "", "2026-12-08T12:00:00+00:00")
    assert (result.score, result.final_score) == (8.0, 7.0)
    assert apply_policy(course, result, at, ext) == result  # recomputing changes nothing


def test_apply_policy_without_a_time_or_a_due_date(tmp_path: Path) -> None:
    unknown = SubmissionTime(None, "unknown", "Canvas marked it late but the export carries no time: give --times FILE")
    result = apply_policy(policy_course(tmp_path), graded(8), unknown, Extensions())
    assert result.time_source == f"unknown ({unknown.note})" and result.submitted_at == ""
    assert [(e.penalty, e.penalty_reason) for e in result.exercises] == [(0.0, ""), (0.0, "")]
    plain = load_course(manifest(tmp_path, EXERCISE.format(name="lab")))
    at = SubmissionTime(datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=-5))), "x")
    lab = apply_policy(plain, graded(8), at, Extensions()).exercises[0]
    assert (lab.due, lab.penalty, lab.penalty_reason) == ("", 0.0, "")
