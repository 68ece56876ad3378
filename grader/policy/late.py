"""The late policy (the manifest's ``[late]`` table) and the penalty it gives a submission.

::

    [late]
    grace = "15min"        # "15min", "2h" or "1d"; a submission this late is on time
    penalty = "10%"        # per started unit: "10%" of the exercise's points, or a number of points (2)
    per = "day"            # "day" or "hour": the unit lateness is counted in
    max_days = 3           # late days accepted; absent: no limit
    after = "not_accepted" # beyond max_days: "zero" (scored 0, the default) or "not_accepted"

The rules, all on elapsed time in UTC:

- Grace only forgives: a submission at most ``grace`` late is on time; one later than that is late by
  its whole delay from the due date (grace does not move the clock).
- Lateness counts *started* units: 1 minute past the grace is 1 day late with ``per = "day"``. A day is
  24 hours of elapsed time, also across a daylight-saving change (a submission at the same wall-clock time
  the day after a due date on the last Sunday of October in Europe/Berlin is 25 h, so 2 started days, late).
- A percentage is of the exercise's *possible* points (as Canvas's late policy deducts): 10 % per day
  on a 10-point exercise is 1 point a day, whatever the score. The total is at most 100 %.
- A penalty never takes more than the score: a score never goes below 0.
- More than ``max_days`` late: the penalty is the whole score, and with ``after = "not_accepted"`` the
  submission is marked not accepted.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

LATE_KEYS = ("grace", "penalty", "per", "max_days", "after")
UNITS: dict[str, timedelta] = {"day": timedelta(days=1), "hour": timedelta(hours=1)}
_GRACE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(min|h|d)\s*", re.IGNORECASE)
_GRACE_UNITS = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


@dataclass(frozen=True)
class LatePolicy:
    """How late work is scored; the default takes nothing off."""

    grace: timedelta = timedelta(0)
    penalty: float = 0.0  # per started unit of lateness
    percent: bool = True  # penalty is a percentage of the exercise's points; else a number of points
    per: Literal["day", "hour"] = "day"
    max_days: int | None = None  # late days accepted; None: no limit
    after: Literal["zero", "not_accepted"] = "zero"


@dataclass(frozen=True)
class Penalty:
    """What lateness costs one exercise: ``points`` off the raw score, and why ("" when on time)."""

    points: float
    reason: str
    late_by: timedelta  # elapsed time from the due date (negative when early)
    accepted: bool = True


def penalty_for(raw: float, max_score: float, submitted: datetime, due: datetime, policy: LatePolicy) -> Penalty:
    """The penalty for a raw score of ``raw`` out of ``max_score`` submitted at ``submitted`` (both aware)."""
    if submitted.utcoffset() is None or due.utcoffset() is None:
        raise ValueError("penalty_for needs aware datetimes (with a time zone)")
    late_by = submitted.astimezone(UTC) - due.astimezone(UTC)
    if late_by <= policy.grace:
        return Penalty(0.0, "", late_by)
    raw = max(raw, 0.0)
    if policy.max_days is not None and late_by > timedelta(days=policy.max_days):
        limit = "submitted after the due date" if policy.max_days == 0 else \
            f"more than {_count(policy.max_days, 'day')} late"
        if policy.after == "not_accepted":
            return Penalty(raw, f"not accepted: {limit}", late_by, accepted=False)
        return Penalty(raw, f"{limit}: scored 0", late_by)
    units = -(-late_by // UNITS[policy.per])  # started units
    head = f"{_count(units, policy.per)} late"
    if policy.penalty == 0:
        return Penalty(0.0, f"{head}: no penalty", late_by)
    if policy.percent:
        percent = min(100.0, units * policy.penalty)
        nominal = max_score * percent / 100
        rule = f"-{percent:g} % of the {_count(max_score, 'point')}"
    else:
        nominal = units * policy.penalty
        rule = f"-{_count(nominal, 'point')}"
    points = min(raw, nominal)
    return Penalty(points, f"{head}: {rule}" + (" (down to 0)" if points < nominal else ""), late_by)


def read_late(table: object) -> tuple[LatePolicy | None, list[str]]:
    """The ``[late]`` table as a policy, or ``None`` and every problem found in it (each naming the key)."""
    if not isinstance(table, dict):
        return None, ["[late] must be a table"]
    problems = [f"[late]: unknown key {key!r}{_did_you_mean(key, LATE_KEYS)}" for key in table if key not in LATE_KEYS]
    grace, penalty, percent = timedelta(0), 0.0, True
    if "grace" in table:
        value = table["grace"]
        match = _GRACE.fullmatch(value) if isinstance(value, str) else None
        if match:
            grace = float(match.group(1)) * _GRACE_UNITS[match.group(2).lower()]
        elif value in ("0", 0) and not isinstance(value, bool):
            pass
        else:
            problems.append(f"[late]: grace = {value!r} is not a duration: write '15min', '2h' or '1d'")
    if "penalty" in table:
        value = table["penalty"]
        match = _PERCENT.fullmatch(value) if isinstance(value, str) else None
        if match and float(match.group(1)) <= 100:
            penalty = float(match.group(1))
        elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
            penalty, percent = float(value), False
        else:
            problems.append(f"[late]: penalty = {value!r} is neither a percentage of the points up to 100 "
                            "('10%') nor a number of points (2)")
    per = table.get("per", "day")
    if per not in UNITS:
        problems.append(f"[late]: per = {per!r} must be 'day' or 'hour'")
    max_days = table.get("max_days")
    if max_days is not None and (not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 0):
        problems.append(f"[late]: max_days = {max_days!r} must be a whole number of days, 0 or more")
    after = table.get("after", "zero")
    if after not in ("zero", "not_accepted"):
        problems.append(f"[late]: after = {after!r} must be 'zero' or 'not_accepted'")
    elif "after" in table and max_days is None:
        problems.append(f"[late]: after = {after!r} needs max_days (how many late days are accepted)")
    if problems:
        return None, problems
    return LatePolicy(grace, penalty, percent, per, max_days, after), []


def _did_you_mean(word: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _count(n: float, unit: str) -> str:
    """``1 day``, ``2 days``, ``1.5 points``."""
    return f"{n:g} {unit}" + ("" if n == 1 else "s")
