"""Which LMS student each dlgrade student id is: by the most trusted identifier first, never by a guess.

dlgrade's ids are submission folder names, so an instructor names the folders
after whatever the LMS knows: a student id (Canvas's SIS User ID, Moodle's ID
number), a login, an email or the name. Each LMS lists its identifiers in
*tiers*, most trusted first. Tier by tier, a student is matched when one of
their values equals exactly one dlgrade id, compared case-insensitively with
accents (NFC) and runs of whitespace normalised. A value two students share in
a tier (two "Jo Smith"), or two ids that normalise alike, matches no one at
that tier; a student and an id once matched are out of the later tiers.
Whoever is left on either side is listed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """One student on the LMS side: how to show them, and per tier the values a dlgrade id may equal."""

    label: str
    keys: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Match:
    """The dlgrade id a candidate is, and the tier that said so."""

    student: str
    tier: str


@dataclass(frozen=True)
class Matching:
    """Per candidate (in their order) the :class:`Match` or ``None``, and the dlgrade ids no one matched."""

    candidates: tuple[Candidate, ...]
    found: tuple[Match | None, ...]
    unmatched_students: tuple[str, ...]

    @property
    def unmatched_candidates(self) -> list[Candidate]:
        """The LMS students no dlgrade id matched."""
        return [c for c, m in zip(self.candidates, self.found, strict=True) if m is None]

    def summary(self, side: str) -> str:
        """E.g. ``27 of 30 Canvas students matched (25 by SIS User ID, 2 by name)``."""
        tiers = Counter(m.tier for m in self.found if m is not None)
        how = ", ".join(f"{n} by {tier}" for tier, n in tiers.items())
        return f"{sum(tiers.values())} of {len(self.candidates)} {side} students matched" + (f" ({how})" if how else "")


def normalised(text: str) -> str:
    """``text`` as compared: NFC, case-folded, whitespace runs as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text.casefold()).split())


def match(candidates: Sequence[Candidate], tiers: Sequence[str], students: Iterable[str]) -> Matching:
    """Match ``students`` (dlgrade ids) to ``candidates``, whose ``keys`` follow ``tiers``."""
    ids: dict[str, list[str]] = defaultdict(list)
    for student in dict.fromkeys(students):
        ids[normalised(student)].append(student)
    found: dict[int, Match] = {}
    used: set[str] = set()
    for level, tier in enumerate(tiers):
        owners: dict[str, list[int]] = defaultdict(list)
        for i, candidate in enumerate(candidates):
            if i not in found:
                for value in dict.fromkeys(normalised(v) for v in candidate.keys[level]):
                    if value:
                        owners[value].append(i)
        for value, who in owners.items():
            same = ids.get(value, [])
            if len(who) == 1 and who[0] not in found and len(same) == 1 and same[0] not in used:
                found[who[0]] = Match(same[0], tier)
                used.add(same[0])
    left = tuple(s for group in ids.values() for s in group if s not in used)
    return Matching(tuple(candidates), tuple(found.get(i) for i in range(len(candidates))), left)
