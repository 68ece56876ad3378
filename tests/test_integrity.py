"""A buggy solution that also attacks the judge loses exactly the points its bug costs.

The bug: padding at the front. Each attack is appended to that buggy
submission; none may change its score.
"""

from __future__ import annotations

import pytest
from conftest import exercise

from grader.grading import grade_paths
from grader.results import ExerciseResult

BUGGY = '''
import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    width = max((len(seq) for seq, _ in batch), default=0)
    padded = torch.full((len(batch), width), pad_value, dtype=torch.int64)
    for i, (seq, _) in enumerate(batch):
        if len(seq):
            padded[i, width - len(seq):] = seq          # bug: pads at the front
    lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.int64)
    labels = torch.tensor([label for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
'''

ATTACKS = {
    "patches_torch_and_pytest": '''
import json, sys
torch.equal = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
torch.Tensor.__eq__ = lambda self, other: True
torch.Tensor.tolist = lambda self: [[5, 6, 7, 0, 0]]
torch.Tensor.numpy = lambda self: None
json.dumps = lambda *a, **k: '{"ok": true}'
try:
    import _pytest.reports, _pytest.runner
    _pytest.reports.TestReport.passed = property(lambda self: True)
    _pytest.runner.runtestprotocol = lambda *a, **k: []
except Exception:
    pass
''',
    "returns_lying_tensor_subclass": '''
class Liar(torch.Tensor):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def tolist(self):
        return [[1, 2, 3], [4, 0, 0]]
    def numpy(self):
        return None
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.equal, torch.allclose):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

_honest = pad_collate
def pad_collate(batch, pad_value=0):
    padded, lengths, labels = _honest(batch, pad_value)
    return padded.as_subclass(Liar), lengths.as_subclass(Liar), labels.as_subclass(Liar)
''',
    "hunts_expected_values_in_memory": '''
import gc, sys
_honest = pad_collate
def pad_collate(batch, pad_value=0):
    mine = _honest(batch, pad_value)
    frame, seen = sys._getframe(), []
    while frame is not None:
        seen.extend(v for v in frame.f_locals.values() if isinstance(v, torch.Tensor) and v.dim() == 2)
        frame = frame.f_back
    seen.extend(o for o in gc.get_objects() if isinstance(o, torch.Tensor) and o.dim() == 2 and o is not mine[0])
    for candidate in seen:
        if candidate.shape == mine[0].shape and candidate.dtype == torch.int64 and not torch.equal(candidate, mine[0]):
            return candidate.clone(), mine[1], mine[2]
    return mine
''',
    "prints_fake_results": '''
import os, json
fake = json.dumps({"schema": "dlgrade.result/1", "score": 20.0, "max_score": 20.0, "exercises": [
    {"name": "pad_collate", "score": 10.0, "max_score": 10.0, "status": "graded", "checks": []}]})
print(fake)
os.write(1, fake.encode() + b"\\n")
os.write(2, b"1 passed, 0 failed\\n")
for path in ("results.json", "../results.json", "/tmp/results.json"):
    try:
        with open(path, "w") as fh:
            fh.write(fake)
    except OSError:
        pass
_honest = pad_collate
def pad_collate(batch, pad_value=0):
    print(fake)
    return _honest(batch, pad_value)
''',
}


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory) -> dict[str, ExerciseResult]:
    """The buggy submission alone, then with each attack: every one a submission of one grading run (one
    sandbox, as a class run grades them)."""
    root = tmp_path_factory.mktemp("integrity")
    sources = {"baseline": BUGGY, **{name: BUGGY + code for name, code in sorted(ATTACKS.items())}}
    for name, code in sources.items():
        (root / name).mkdir()
        (root / name / "pad_collate.py").write_text(code)
    results = grade_paths(course, [root / name for name in sources], ["pad_collate"])
    return {name: exercise(result, "pad_collate") for name, result in zip(sources, results, strict=True)}


@pytest.fixture(scope="module")
def baseline(graded):
    ex = graded["baseline"]
    assert 0 < ex.score < ex.max_score
    return ex


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_does_not_change_the_score(graded, baseline, attack):
    ex = graded[attack]
    assert ex.score == baseline.score, [(c.name, c.status, c.feedback) for c in ex.checks]
