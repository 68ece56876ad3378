"""Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003) over normalised tokens: a file's fingerprints.

Every run of :data:`K` consecutive tokens of a unit is hashed; in each window of
:data:`WINDOW` consecutive hashes the smallest (the rightmost on a tie) is kept.
Any run of ``K + WINDOW - 1`` tokens that two files share gives them at least
one fingerprint in common, and runs shorter than ``K`` never do.

Hashes are deterministic from one run to the next (a fixed CRC-32 per token,
then Python's hash of a tuple of ints, which no hash seed changes), so the same
class always gives the same pairs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from functools import lru_cache

from grader.similarity.normalise import Unit

K = 12  # tokens per hashed run: shorter runs (a call, a slice) are what every solution shares
WINDOW = 5  # hashes per window: a shared run of K + WINDOW - 1 = 16 tokens is always seen

Span = tuple[int, int]  # first and last line of a fingerprint's tokens
Fingerprints = Mapping[int, tuple[Span, ...]]  # hash -> where it occurs

def fingerprints(units: Iterable[Unit], k: int = K, window: int = WINDOW) -> Fingerprints:
    """The winnowed fingerprints of ``units``, each with the line spans it was taken from."""
    found: dict[int, list[Span]] = {}
    for unit in units:
        if len(unit.tokens) < k:
            continue
        ids = [_token_id(token) for token in unit.tokens]
        hashes = [hash(tuple(ids[i:i + k])) for i in range(len(ids) - k + 1)]
        for pos in _winnow(hashes, window):
            found.setdefault(hashes[pos], []).append((unit.lines[pos], unit.lines[pos + k - 1]))
    return {h: tuple(spans) for h, spans in found.items()}


@lru_cache(maxsize=1 << 16)
def _token_id(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "surrogatepass"))


def _winnow(hashes: list[int], window: int) -> list[int]:
    """Positions of the robust-winnowing choices: each window's minimum, a position kept once."""
    if len(hashes) <= window:
        low = min(hashes)
        return [len(hashes) - 1 - hashes[::-1].index(low)]
    chosen: list[int] = []
    last = -1
    for start in range(len(hashes) - window + 1):
        part = hashes[start:start + window]
        low = min(part)
        pos = start + window - 1 - part[::-1].index(low)
        if pos != last:
            chosen.append(pos)
            last = pos
    return chosen
