"""The ``dlgrade.result/1`` JSON document."""

from __future__ import annotations

import json
from typing import Any

from grader.result_codec import to_document
from grader.results import SubmissionResult


def to_json(results: list[SubmissionResult]) -> str:
    """One result as an object; several as a list of objects."""
    docs: Any = [to_document(r) for r in results]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False)
