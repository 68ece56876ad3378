"""A :class:`~grader.submission.load.Submission` as JSON bytes, and back: plain data, never a pickle.

The bytes are the same for the same submission (keys sorted), so their sha256 names it: Dask keys the
student's data by that hash, and a retried student's files are not sent again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from grader.submission.load import SourceFile, Submission


def encode(submission: Submission) -> bytes:
    """``submission`` as UTF-8 JSON (lone surrogates in file names survive as escapes)."""
    doc = {
        "id": submission.id,
        "notes": list(submission.notes),
        "near_misses": submission.near_misses,
        "files": {name: {"exercise": f.exercise, "name": f.name, "text": f.text, "problem": f.problem,
                         "cells": None if f.cells is None else [list(c) for c in f.cells],
                         "helpers": [list(h) for h in f.helpers]}
                  for name, f in submission.files.items()},
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("ascii")


def content_key(data: bytes) -> str:
    """The sha256 of encoded bytes (hex)."""
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> Submission:
    """The submission :func:`encode` wrote; ``ValueError`` for anything else."""
    try:
        doc = json.loads(data)
        files = {str(name): _source(f) for name, f in doc["files"].items()}
        return Submission(_text(doc["id"]), files, tuple(_text(n) for n in doc["notes"]),
                          {str(k): _text(v) for k, v in doc["near_misses"].items()})
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not an encoded submission: {exc!r}") from None


def _source(f: dict[str, Any]) -> SourceFile:
    cells = f["cells"]
    return SourceFile(
        _text(f["exercise"]), _text(f["name"]), _optional(f["text"]), _optional(f["problem"]),
        None if cells is None else tuple((int(pos), _text(src)) for pos, src in cells),
        tuple((_text(module), _text(src)) for module, src in f["helpers"]),
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)
