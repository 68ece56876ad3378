"""Public checks for subset_split: run them with `dlgrade check subset_split.py`."""

import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, probe


@pytest.mark.points(1)
def test_split_ten(student):
    """Splits 10 indices into 8 for training and 2 for validation"""
    out = student.call("split_indices", 10, 0.2, seed=0)
    assert isinstance(out, (tuple, list)) and len(out) == 2, "split_indices must return (train_idx, val_idx)"
    train_idx, val_idx = out
    assert isinstance(train_idx, list) and isinstance(val_idx, list), (
        f"train_idx and val_idx must be lists, got {type(train_idx).__name__} and {type(val_idx).__name__}")
    assert len(train_idx) == 8 and len(val_idx) == 2, (
        f"with n=10 and val_ratio=0.2 expected 8 train and 2 validation indices, "
        f"got {len(train_idx)} and {len(val_idx)}")
    assert sorted(train_idx + val_idx) == list(range(10)), (
        f"train_idx + val_idx must hold each of 0..9 exactly once, got {sorted(train_idx + val_idx)}")


@probe
def loader_summary(mod):
    class Numbers(torch.utils.data.Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            return i

    loaders = mod.make_loaders(Numbers(), val_ratio=0.2, batch_size=2, seed=0)
    if not isinstance(loaders, (tuple, list)) or len(loaders) != 2:
        return f"make_loaders must return (train_loader, val_loader), got {type(loaders).__name__}"
    out = []
    for loader in loaders:
        if not isinstance(loader, torch.utils.data.DataLoader):
            return f"make_loaders must return DataLoaders, got {type(loader).__name__}"
        out.append((type(loader.sampler).__name__, sorted(int(i) for batch in loader for i in batch)))
    return out


@pytest.mark.points(1)
@pytest.mark.hint("A DataLoader either shuffles or follows a sampler, never both: give each loader its own "
                  "SubsetRandomSampler over the indices split_indices returns.")
def test_make_loaders(student):
    """make_loaders returns two DataLoaders with SubsetRandomSamplers"""
    try:
        out = student.probe(loader_summary)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if err.is_a("ValueError") and "shuffle" in err.message:
            raise AssertionError("DataLoader raises ValueError when you pass shuffle=True together with a sampler: "
                                 "the SubsetRandomSampler already shuffles, so drop shuffle=True") from None
        raise
    assert not isinstance(out, str), out
    (train_sampler, train_seen), (val_sampler, val_seen) = out
    for which, sampler in (("train", train_sampler), ("validation", val_sampler)):
        assert sampler == "SubsetRandomSampler", (
            f"the {which} loader's sampler must be a SubsetRandomSampler, got {sampler}")
    assert len(train_seen) == 8 and len(val_seen) == 2, (
        f"on 10 samples with val_ratio=0.2 the loaders should yield 8 and 2 samples, got {len(train_seen)} and "
        f"{len(val_seen)}")
    assert sorted(train_seen + val_seen) == list(range(10)), "together the two loaders must yield every sample once"
