"""The result model as ``dlgrade.result/1`` documents and as gradebook rows, derived from its dataclass fields.

As in pytest's report serialisation, nothing is mapped by hand: every field
is written in declaration order under its name or its metadata's ``key``,
nested results as lists of objects (documents) or rows of their own
(gradebook). In documents ``digits`` rounds a float and an ``optional`` field
is written only when it differs from its default. Reading takes an absent
key or column as the field's default, so what was written before a field
existed still loads; computed fields (``score``, ``max_score``) are written,
never read.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, fields, is_dataclass
from typing import Any, TypeVar

from grader.results import SCHEMA, CheckResult, ExerciseResult, SubmissionResult

Result = TypeVar("Result", CheckResult, ExerciseResult, SubmissionResult)
_HINTS: dict[type, dict[str, Any]] = {cls: typing.get_type_hints(cls)
                                      for cls in (CheckResult, ExerciseResult, SubmissionResult)}


def to_document(result: SubmissionResult, exact: bool = False) -> dict[str, Any]:
    """The ``dlgrade.result/1`` document (``exact``: durations unrounded, for a lossless hand-over)."""
    return {"schema": SCHEMA, **_document(result, exact)}


def from_document(doc: Mapping[str, Any]) -> SubmissionResult:
    """The result a :func:`to_document` document holds (between trusted processes only)."""
    return _build(SubmissionResult, doc, _from_json, {})


def columns(cls: type[Result]) -> dict[str, object]:
    """A result class's gradebook columns (nested results excluded), each with its default as stored (``None``:
    the field has none)."""
    return {_key(f): None if f.default is MISSING else _to_sql(f.default) for f in fields(cls)
            if not _nested(cls, f)}


def row(result: CheckResult | ExerciseResult | SubmissionResult) -> dict[str, object]:
    """A result's gradebook values by column (nested results are rows of their own)."""
    return {_key(f): _to_sql(getattr(result, f.name)) for f in fields(result) if not _nested(type(result), f)}


def from_row(cls: type[Result], values: Mapping[str, Any], **given: Any) -> Result:
    """A result from its gradebook row; ``given`` holds its nested results and values stored elsewhere."""
    return _build(cls, values, _from_sql, given)


def _document(result: Any, exact: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for f in fields(result):
        value = getattr(result, f.name)
        if f.metadata.get("optional") and value == f.default:
            continue
        if isinstance(value, tuple):
            value = [_document(v, exact) if is_dataclass(v) else v for v in value]
        elif "digits" in f.metadata and not exact:
            value = round(value, f.metadata["digits"])
        doc[_key(f)] = value
    return doc


def _build(cls: type[Result], values: Mapping[str, Any], decode: Callable[[Any, Any], Any],
           given: dict[str, Any]) -> Result:
    hints = _HINTS[cls]
    kwargs = dict(given)
    for f in fields(cls):
        if f.init and f.name not in kwargs and _key(f) in values:
            kwargs[f.name] = decode(hints[f.name], values[_key(f)])
    return cls(**kwargs)


def _from_json(hint: Any, value: Any) -> Any:
    item = _item(hint)
    if item is None:
        return _scalar(hint, value)
    return tuple(value) if item is str else tuple(_build(item, v, _from_json, {}) for v in value)


def _from_sql(hint: Any, value: Any) -> Any:
    return tuple(json.loads(value)) if _item(hint) is not None else _scalar(hint, value)


def _to_sql(value: object) -> object:
    """Tuples of text as JSON, flags as 0 or 1; text and numbers as they are."""
    if isinstance(value, tuple):
        return json.dumps(list(value))
    return int(value) if isinstance(value, bool) else value


def _scalar(hint: Any, value: Any) -> Any:
    return float(value) if hint is float else bool(value) if hint is bool else value


def _key(f: Field[Any]) -> str:
    return str(f.metadata.get("key", f.name))


def _nested(cls: type, f: Field[Any]) -> bool:
    """Whether a field holds results (a tuple holds results or text)."""
    return _item(_HINTS[cls][f.name]) not in (None, str)


def _item(hint: Any) -> Any:
    """``X`` of ``tuple[X, ...]``, else ``None``."""
    return typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else None
