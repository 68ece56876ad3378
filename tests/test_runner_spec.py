"""A runner's start as data: what the judge sends is what the runner reads, and nothing else is read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.sandbox.spec import RunnerLimits, RunnerSpec, SpawnSettings

SPEC = RunnerSpec("pad_collate", "x = 1\n", RunnerLimits(2**30, 64), ((1, "x = 1"), (3, "%time y = 2")), 2.5, "kernel",
                  (("helpers", "def f():\n    return 'é'\n"),), ("torch.nn.functional.one_hot",))
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                     max_size=9), max_leaves=30)


@pytest.mark.parametrize("spec", [SPEC, RunnerSpec("text_clean", "", RunnerLimits(1, 1))])
def test_a_spec_reads_back_as_sent(spec: RunnerSpec) -> None:
    assert RunnerSpec.from_wire(json.loads(json.dumps(spec.to_wire()))) == spec


def test_spawn_settings_read_back_as_sent() -> None:
    spawn = SpawnSettings(("/course",), ("/course/.venv",), frozenset({"seccomp"}), ("process", "rlimits"))
    assert SpawnSettings.from_wire(json.loads(json.dumps(spawn.to_wire()))) == spawn


@pytest.mark.parametrize("change", [
    {"engine": "slow"}, {"cells": [[1]]}, {"cells": [["1", "x"]]}, {"cell_limit": True}, {"helpers": [["a", "b"]]},
    {"forbidden": "torch.add"}, {"limits": {"memory_bytes": 1.5, "processes": 1}}, {"limits": {"memory_bytes": 1}},
    {"module": None}, {"extra": 1},
])
def test_a_malformed_spec_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RunnerSpec.from_wire(SPEC.to_wire() | change)


@settings(max_examples=200, database=None, derandomize=True)
@given(ANY_JSON)
def test_reading_any_json_raises_only_value_error(doc: Any) -> None:
    try:
        RunnerSpec.from_wire(doc)
    except ValueError:
        pass
