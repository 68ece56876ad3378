"""One exercise's documents compared: the pairs that share unusually much of their fingerprints, ranked.

Left out before comparing: the stub's fingerprints (what every student starts
from) and those found in more than :attr:`Settings.common` of the students (the
idioms every correct solution writes). Pairs are found through an inverted
index (fingerprint -> documents), so only documents that share something are
ever paired: the work grows with what students share, not with the square of
the class. Archived documents are paired with this class's only.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from grader.similarity.corpus import Document
from grader.similarity.fingerprint import Span


@dataclass(frozen=True)
class Settings:
    """When a pair is flagged, and which fingerprints are too common to count."""

    threshold: float = 0.5  # score from which a pair is listed (:func:`score`)
    min_shared: int = 10  # fingerprints in common, at least (~40 tokens: a short function alone is no evidence)
    common: float = 0.2  # a fingerprint in more than this fraction of the students is an idiom
    min_common: int = 3  # ... but one in at most this many students always counts (small classes)

    def common_limit(self, students: int) -> int:
        """The most students a fingerprint may be found in and still count."""
        return max(self.min_common, math.floor(self.common * students))


@dataclass(frozen=True)
class Pair:
    """Two documents of one exercise and what they share."""

    a: Document
    b: Document
    shared: int  # fingerprints in common (stub and common ones left out)
    fraction_a: float  # of a's counted fingerprints, the share also in b
    fraction_b: float
    lines_a: tuple[Span, ...]  # the lines of a that match b, merged
    lines_b: tuple[Span, ...]
    score: float  # 0 to 1, higher is more similar: see :func:`score`


def score(shared: int, smaller: int, settings: Settings) -> float:
    """The share of the smaller document's fingerprints the other holds, shrunk for small documents.

    ``shared / (smaller + min_shared)``: the same share is less evidence in a short file than in a long one,
    so a whole copied file ranks above a copied five-line function.
    """
    return shared / (smaller + settings.min_shared)


def compare(documents: Sequence[Document], stub: set[int], settings: Settings) -> list[Pair]:
    """The flagged pairs of one exercise's documents, most similar first."""
    limit = settings.common_limit(len(documents))
    counted = [set(doc.fingerprints) - stub for doc in documents]
    postings: dict[int, list[int]] = {}
    for index, hashes in enumerate(counted):
        for h in hashes:
            postings.setdefault(h, []).append(index)
    counted = [{h for h in hashes if len(postings[h]) <= limit} for hashes in counted]
    together: Counter[tuple[int, int]] = Counter()
    for owners in postings.values():
        if 2 <= len(owners) <= limit:
            together.update(itertools.combinations(owners, 2))
    pairs = []
    for (i, j), shared in together.items():
        a, b = documents[i], documents[j]
        if shared < settings.min_shared or (a.author.archived and b.author.archived):
            continue
        common = counted[i] & counted[j]
        pair = Pair(a, b, shared, shared / len(counted[i]), shared / len(counted[j]),
                    _merged(a.fingerprints[h] for h in common), _merged(b.fingerprints[h] for h in common),
                    score(shared, min(len(counted[i]), len(counted[j])), settings))
        if pair.score >= settings.threshold:
            pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.score, -p.shared, p.a.author.id, p.b.author.id))


def _merged(spans: Iterable[tuple[Span, ...]]) -> tuple[Span, ...]:
    """Line spans, overlapping or adjacent ones joined, in order."""
    out: list[Span] = []
    for first, last in sorted(span for group in spans for span in group):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return tuple(out)
