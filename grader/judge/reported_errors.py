"""What a runner reports about the student's errors: its claims checked and capped, then put in the student's terms.

The runner is untrusted, so every field of an error it reports (class names,
message, frames) is checked here before it reaches feedback.
"""

from __future__ import annotations

from typing import Any


def reported_mro(err: dict[str, Any]) -> list[str]:
    """The raised exception's class names as the runner reported them (checked: they are a claim)."""
    mro = err.get("mro")
    names = [str(n)[:100] for n in mro[:12]] if isinstance(mro, list) else []
    return names or ["Exception"]


def reported_frames(raw: Any) -> list[dict[str, Any]]:
    """The student's frames as the runner reported them (checked and capped: they are a claim)."""
    if not isinstance(raw, list):
        return []
    return [
        {"line": f.get("line") if type(f.get("line")) is int else None, "function": str(f.get("function", ""))[:100],
         "code": str(f.get("code", ""))[:200], "cell": f.get("cell") if type(f.get("cell")) is int else None}
        for f in raw[:8]
        if isinstance(f, dict)
    ]


def describe_error(err: Any) -> str:
    """``ValueError: message`` plus the student's own frames."""
    if not isinstance(err, dict):
        return "an error"
    text = f"{reported_mro(err)[0]}: {str(err.get('message', ''))[:500]}"
    for frame in reported_frames(err.get("traceback")):
        where = f"cell {frame['cell']}, line {frame['line']}" if frame.get("cell") else f"line {frame['line']}"
        text += f"\n  {where}, in {frame['function']}: {frame['code']}"
    return text


def describe_cell(record: dict[str, Any]) -> str:
    """One notebook cell's outcome, as the student would see it in Jupyter: ``cell 4: NameError: ...``."""
    cell = record.get("cell")
    status = record.get("status")
    if status == "error":
        return f"cell {cell}: " + describe_error(record)
    return f"cell {cell}: {str(record.get('message', status))[:300]}"
