"""Due dates and submission times with an explicit time zone.

A moment is an ISO 8601 date-time with an offset (``"2026-12-01T23:59:00+01:00"``, ``Z`` for UTC; a TOML
offset date-time is the same), or a local date-time (``"2026-12-01 23:59"``) read in a zone given
separately (the manifest's ``[course] timezone``). Without either it is an error: a due date must never
depend on the clock of the machine that grades.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")


def parse_zone(name: object) -> ZoneInfo:
    """An IANA zone such as ``"Europe/Berlin"``; ``ValueError`` names a bad one."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"timezone {name!r} is not an IANA zone name such as 'Europe/Berlin'")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as 'Europe/Berlin' or 'UTC')") from None


OFFSET_HINT = "add an offset, as in '2026-12-01T23:59:00+01:00'"


def parse_moment(value: object, zone: tzinfo | None = None, hint: str = OFFSET_HINT) -> datetime:
    """An aware datetime from an ISO string or a TOML date-time; a local one is read in ``zone``.

    ``ValueError`` says what is wrong: not a date-time, a date without a time, no zone (``hint`` says how to
    give one), or a local time that does not exist in ``zone`` (skipped when the clocks go forward). An
    ambiguous local time (the hour repeated when the clocks go back) is its first occurrence.
    """
    if isinstance(value, str):
        if _DATE_ONLY.fullmatch(value):
            raise ValueError(f"{value!r} is a date without a time: write e.g. '{value.strip()}T23:59:00+01:00'")
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time such as '2026-12-01T23:59:00+01:00'") from None
    elif isinstance(value, datetime):
        moment = value
    elif isinstance(value, date | time):
        raise ValueError(f"{value.isoformat()!r} is not a date and a time: write e.g. '2026-12-01T23:59:00+01:00'")
    else:
        raise ValueError(f"{value!r} is not a date-time such as '2026-12-01T23:59:00+01:00'")
    if moment.utcoffset() is not None:
        return moment
    if zone is None:
        raise ValueError(f"{_text(value)!r} has no time zone: {hint}")
    aware = moment.replace(tzinfo=zone, fold=0)
    if aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValueError(f"{_text(value)!r} does not exist in {zone} (the clocks skip it)")
    return aware


def _text(value: object) -> str:
    return value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
