"""Hidden checks: subset_split (8 points; the public checks hold 2 more)."""

import math

import numpy as np
import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, expect_raises, probe

# (n, val_ratio): floor, round and ceil disagree on several of them
SIZE_CASES = [(10, 0.2), (9, 0.2), (14, 0.25), (7, 0.5), (3, 0.9), (11, 0.1), (23, 0.3), (100, 0.15), (10, 0.8)]

SHUFFLE_WITH_SAMPLER = (
    "make_loaders passes shuffle=True together with a sampler, and DataLoader raises ValueError (sampler option "
    "is mutually exclusive with shuffle): the SubsetRandomSampler already draws a new random order every epoch, "
    "so leave shuffle at its default (False) whenever you give a sampler")


def int_list(value, name):
    """``value`` as a list of ints, whatever sequence of integers it is (the type is judged elsewhere)."""
    if isinstance(value, (torch.Tensor, np.ndarray)):
        value = value.tolist()
    assert isinstance(value, (list, tuple)), f"`{name}` must be a list of ints, got {type(value).__name__}"
    out = []
    for item in value:
        if isinstance(item, (torch.Tensor, np.ndarray)) and item.ndim == 0:
            item = item.item()
        assert isinstance(item, (int, np.integer)) and not isinstance(item, bool), (
            f"`{name}` must hold ints (sample indices), got a {type(item).__name__}")
        out.append(int(item))
    return out


def split(student, n, val_ratio, seed):
    """``(train_idx, val_idx)`` as lists of ints."""
    out = student.call("split_indices", n, val_ratio=val_ratio, seed=seed)
    assert isinstance(out, (tuple, list)) and len(out) == 2, (
        f"split_indices must return a pair (train_idx, val_idx), got {type(out).__name__}")
    return int_list(out[0], "train_idx"), int_list(out[1], "val_idx")


def split_allowing(student, n, val_ratio, seed, what):
    try:
        return split(student, n, val_ratio, seed)
    except NotImplementedYet:
        raise
    except StudentError as err:
        raise AssertionError(f"{what} is allowed, but your code raised {err.type_name}: {err.message[:300]}") from None


@pytest.mark.points(1)
def test_validation_size_is_floored(student):
    """The validation set holds floor(val_ratio * n) indices"""
    sizes = {}
    for n, ratio in SIZE_CASES:
        train_idx, val_idx = split(student, n, ratio, 0)
        sizes[(n, ratio)] = (len(train_idx), len(val_idx))
    if all(t == math.floor(r * n) and v == n - math.floor(r * n) for (n, r), (t, v) in sizes.items()):
        raise AssertionError("you return (val_idx, train_idx): the first list must be the training indices, "
                             "the second the validation indices")
    wrong = {key: v for key, (_, v) in sizes.items() if v != math.floor(key[1] * key[0])}
    rules = [
        (lambda n, r: round(r * n), "you round the validation size to the nearest integer"),
        (lambda n, r: math.floor(r * n + 0.5), "you round the validation size to the nearest integer"),
        (lambda n, r: math.ceil(r * n), "you round the validation size up"),
        (lambda n, r: n - int(n * (1 - r)), "you compute the training size first (int(n * (1 - val_ratio))), "
                                            "which rounds the validation size up"),
    ]
    if wrong:
        for rule, told in rules:
            if all(v == rule(n, r) for (n, r), (_, v) in sizes.items()):
                raise AssertionError(f"{told}; len(val_idx) must be floor(val_ratio * n), rounded down "
                                     "(math.floor or int()), and the training set gets the rest")
        raise AssertionError("len(val_idx) must be floor(val_ratio * n): val_ratio * n rounded down")
    for (n, _), (t, v) in sizes.items():
        assert t + v == n, "len(train_idx) + len(val_idx) must be n: the training set gets every other index"
    assert split_allowing(student, 0, 0.2, 0, "n=0 (an empty dataset)") == ([], []), (
        "n=0 must give two empty lists")
    train_idx, val_idx = split_allowing(student, 5, 0.0, 1, "val_ratio=0 (no validation set)")
    assert val_idx == [] and sorted(train_idx) == list(range(5)), (
        "val_ratio=0 must give an empty val_idx and every index in train_idx")


@pytest.mark.points(1)
def test_disjoint_and_complete(student):
    """Returns two disjoint lists of ints that together cover range(n)"""
    for n, ratio, seed in ((20, 0.2, 0), (37, 0.3, 4), (64, 0.5, 9)):
        out = student.call("split_indices", n, val_ratio=ratio, seed=seed)
        assert isinstance(out, (tuple, list)) and len(out) == 2, "split_indices must return (train_idx, val_idx)"
        for name, value in zip(("train_idx", "val_idx"), out, strict=True):
            assert isinstance(value, list), (
                f"`{name}` must be a list of Python ints, got {type(value).__name__}; call .tolist() on a tensor "
                "or an array")
            odd = [type(i).__name__ for i in value if type(i) is not int]
            assert not odd, (f"`{name}` must hold Python ints, got {odd[0]}; call .tolist() on the tensor or array "
                             "instead of list()")
        train_idx, val_idx = out
        assert not set(train_idx) & set(val_idx), (
            "train_idx and val_idx overlap: a sample in both is validated on after being trained on, so the "
            "validation score is too optimistic (data leakage); take both from ONE permutation: the first "
            "floor(val_ratio * n) indices for validation, the rest for training")
        for name, value in (("train_idx", train_idx), ("val_idx", val_idx)):
            assert len(set(value)) == len(value), f"`{name}` holds some index twice; every index appears once"
        assert sorted(train_idx + val_idx) == list(range(n)), (
            "train_idx + val_idx must hold every index of range(n) exactly once (no index missing, none outside)")


@pytest.mark.points(1)
def test_same_seed_same_split(student):
    """The same seed gives the same split"""
    for n, ratio, seed in ((50, 0.2, 0), (50, 0.2, 3), (31, 0.4, 17)):
        first = split(student, n, ratio, seed)
        again = split(student, n, ratio, seed)
        assert first == again, (
            "two calls with the same seed gave different splits: your split is not seeded (it draws from the "
            "global random generator); shuffle with a generator of your own seeded with `seed`, e.g. "
            "torch.randperm(n, generator=torch.Generator().manual_seed(seed))")


@pytest.mark.points(1)
def test_other_seeds_differ(student):
    """Other seeds give other (random) splits"""
    n, ratio = 50, 0.2
    vals = [sorted(split(student, n, ratio, seed)[1]) for seed in (0, 1, 2)]
    if len({tuple(v) for v in vals}) == 3:
        return
    n_val = len(vals[0])
    if vals[0] in (list(range(n_val)), list(range(n - n_val, n))):
        raise AssertionError("your split is not random: the validation set is always the first (or last) indices, "
                             "so it inherits any order of the file (e.g. sorted by class); shuffle range(n) with a "
                             "generator seeded with `seed`")
    raise AssertionError("different seeds gave the same split: you ignore `seed`; seed your generator with it")


@probe
def global_state_kept(mod, n, val_ratio, seed):
    import random

    class Numbers(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return i

    def states():
        np_state = np.random.get_state()
        return torch.get_rng_state(), np_state[1].copy(), np_state[2], random.getstate()

    def same(a, b):
        return {"torch": bool(torch.equal(a[0], b[0])), "numpy": bool(np.array_equal(a[1], b[1]) and a[2] == b[2]),
                "random": a[3] == b[3]}

    torch.manual_seed(1234)
    np.random.seed(1234)
    random.seed(1234)
    before = states()
    mod.split_indices(n, val_ratio=val_ratio, seed=seed)
    after_split = states()
    try:
        mod.make_loaders(Numbers(), val_ratio=val_ratio, batch_size=2, seed=seed)
    except Exception:  # noqa: BLE001 - broken loaders are judged by the loader checks
        return same(before, after_split), None
    return same(before, after_split), same(after_split, states())


def ask_loaders(student, fn, *args):
    try:
        return student.probe(fn, *args)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if err.is_a("ValueError") and "shuffle" in err.message:
            raise AssertionError(SHUFFLE_WITH_SAMPLER) from None
        if err.is_a("IndexError"):
            raise AssertionError(
                f"iterating your loaders raised IndexError ({err.message[:200]}): do you index twice, with a "
                "Subset of the split AND a SubsetRandomSampler over the same indices? The sampler already picks "
                "the split's samples: give the DataLoader the full dataset") from None
        raise


@pytest.mark.points(1)
def test_global_random_state_untouched(student):
    """Leaves the global random generators alone"""
    by_split, by_loaders = student.probe(global_state_kept, 40, 0.25, 7)
    fixes = {
        "torch": "torch's global random state (torch.manual_seed, or torch.randperm without a generator)",
        "numpy": "numpy's global random state (np.random.seed, np.random.permutation or np.random.shuffle)",
        "random": "Python's global random state (random.seed or random.shuffle)",
    }
    for who, kept in (("split_indices", by_split), ("make_loaders", by_loaders)):
        if kept is None:
            continue
        for lib in ("torch", "numpy", "random"):
            assert kept[lib], (
                f"{who} changes {fixes[lib]}: that resets or shifts every other random draw of the training run "
                "(weight initialisation, dropout, augmentation, the loader's shuffling); use a generator of your "
                "own seeded with `seed`: torch.Generator().manual_seed(seed), np.random.default_rng(seed) or "
                "random.Random(seed)")


@pytest.mark.points(1)
def test_rejects_bad_arguments(student):
    """Raises ValueError for val_ratio outside [0, 1) or n < 0"""
    for ratio in (1.0, 1, 1.5, -0.1):
        expect_raises("ValueError", lambda ratio=ratio: student.call("split_indices", 10, val_ratio=ratio, seed=0),
                      f"split_indices(10, val_ratio={ratio}) must raise ValueError: val_ratio must be in [0, 1)")
    expect_raises("ValueError", lambda: student.call("split_indices", -1, val_ratio=0.2, seed=0),
                  "split_indices(-1) must raise ValueError: n must be at least 0")


@probe
def loaders_report(mod, n, val_ratio, batch_size, seed):
    class Numbers(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return int(i)

    train_idx, val_idx = mod.split_indices(n, val_ratio=val_ratio, seed=seed)
    again = mod.split_indices(n, val_ratio=val_ratio, seed=seed)
    defaults = mod.split_indices(n)
    loaders = mod.make_loaders(Numbers(), val_ratio=val_ratio, batch_size=batch_size, seed=seed)
    if not isinstance(loaders, (tuple, list)) or len(loaders) != 2:
        return f"make_loaders must return a pair (train_loader, val_loader), got {type(loaders).__name__}"
    report = []
    for loader in loaders:
        if not isinstance(loader, torch.utils.data.DataLoader):
            return f"make_loaders must return DataLoaders, got {type(loader).__name__}"
        batches = [[int(i) for i in batch] for batch in loader]
        report.append({"sampler": type(loader.sampler).__name__, "batch_size": loader.batch_size,
                       "batches": batches})
    split = [[int(i) for i in train_idx], [int(i) for i in val_idx]]
    return {"split": split, "again": [[int(i) for i in part] for part in again],
            "defaults": [[int(i) for i in part] for part in defaults], "loaders": report}


def report_of(student, n, val_ratio, batch_size, seed):
    report = ask_loaders(student, loaders_report, n, val_ratio, batch_size, seed)
    assert not isinstance(report, str), report
    return report


@pytest.mark.points(1)
def test_loaders_use_subset_random_samplers(student):
    """make_loaders gives each DataLoader a SubsetRandomSampler and the batch size"""
    report = report_of(student, 30, 0.2, 4, 1)
    for which, loader in zip(("train", "validation"), report["loaders"], strict=True):
        sampler = loader["sampler"]
        if sampler in ("RandomSampler", "SequentialSampler"):
            raise AssertionError(
                f"the {which} loader's sampler is a {sampler}: build it with "
                "DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(indices)), over the whole "
                "dataset, instead of a Subset (with shuffle)")
        assert sampler == "SubsetRandomSampler", (
            f"the {which} loader's sampler must be a SubsetRandomSampler, got {sampler}")
        assert loader["batch_size"] == 4, (
            f"make_loaders ignores `batch_size`: the {which} loader's batch size must be the batch_size argument")


def seen(loader):
    return sorted(i for batch in loader["batches"] for i in batch)


@pytest.mark.points(1)
def test_loaders_iterate_the_split(student):
    """The train loader yields exactly train_idx, the validation loader exactly val_idx"""
    for n, ratio, batch_size, seed in ((23, 0.3, 4, 5), (40, 0.25, 3, 11)):
        report = report_of(student, n, ratio, batch_size, seed)
        (train_idx, val_idx), defaults = report["split"], report["defaults"]
        train, val = (seen(loader) for loader in report["loaders"])
        if report["again"] != report["split"]:
            # an unseeded split (judged by its own check): the loaders can only be judged as some valid split
            assert sorted(train + val) == list(range(n)) and (len(train), len(val)) == (len(train_idx), len(val_idx)), (
                "together the train and validation loaders must yield every sample once, split in the sizes that "
                "split_indices gives (each loader over its own part of the split)")
            continue
        if train == sorted(val_idx) and val == sorted(train_idx):
            raise AssertionError("your loaders are swapped: the train loader iterates val_idx and the validation "
                                 "loader train_idx; return (train_loader, val_loader)")
        if (train, val) != (sorted(train_idx), sorted(val_idx)) and (train, val) == tuple(sorted(p) for p in defaults):
            raise AssertionError("make_loaders ignores `val_ratio` or `seed`: its loaders follow split_indices(n) "
                                 "with the default arguments; pass val_ratio and seed on to split_indices")
        for which, got, want in (("train", train, train_idx), ("validation", val, val_idx)):
            if got == list(range(n)):
                raise AssertionError(f"the {which} loader iterates the whole dataset; it must yield only the "
                                     f"samples of {'train_idx' if which == 'train' else 'val_idx'}")
            if len(set(got)) != len(got):
                raise AssertionError(f"the {which} loader yields some samples twice in one epoch; it must yield "
                                     "each sample of its split exactly once")
            assert got == sorted(want), (
                f"the {which} loader must yield exactly the samples of "
                f"{'train_idx' if which == 'train' else 'val_idx'} from split_indices(len(dataset), val_ratio, "
                "seed), each once per epoch")
        for loader in report["loaders"]:
            sizes = [len(batch) for batch in loader["batches"]]
            assert all(s == batch_size for s in sizes[:-1]) and (not sizes or sizes[-1] <= batch_size), (
                "the batches must hold `batch_size` samples (the last one may be smaller)")
