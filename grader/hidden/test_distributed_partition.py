"""Hidden checks: distributed_partition (7 points; public 1, forbidden-API check 2)."""

import math

import pytest
import torch

from grader.checks import expect_raises, probe


class _Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def reference(n, replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    """The judge's own DistributedSampler (the real one, run here in the trusted judge)."""
    sampler = torch.utils.data.DistributedSampler(
        _Sized(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
    sampler.set_epoch(epoch)
    return list(sampler)


def ask(student, n, replicas, rank, **kw):
    out = student.call("partition_indices", n, replicas, rank, **kw)
    assert isinstance(out, list), f"partition_indices must return a list of ints, got {type(out).__name__}"
    assert all(isinstance(i, int) for i in out), "partition_indices must return plain Python ints (use .tolist())"
    return out


def diagnose(student, n, replicas, shuffle=True, seed=0, epoch=0, drop_last=False):
    """Compare every rank with the reference; name the classic mistake when one fits."""
    got = [ask(student, n, replicas, r, shuffle=shuffle, seed=seed, epoch=epoch, drop_last=drop_last)
           for r in range(replicas)]

    def ref(**changed):
        args = {"shuffle": shuffle, "seed": seed, "epoch": epoch, "drop_last": drop_last, **changed}
        return [reference(n, replicas, r, args["shuffle"], args["seed"], args["epoch"], args["drop_last"])
                for r in range(replicas)]

    want = ref()
    if got == want:
        return
    if shuffle and got[0] != ask(student, n, replicas, 0, shuffle=shuffle, seed=seed, epoch=epoch,
                                 drop_last=drop_last):
        raise AssertionError("two calls with the same arguments gave different indices: you shuffle with the global "
                             "random generator, so every rank gets its own order; draw the permutation with "
                             "torch.randperm(n, generator=g), g a torch.Generator seeded with seed + epoch")
    if shuffle and got == ref(shuffle=False):
        raise AssertionError("you ignore `shuffle=True`: the indices must be shuffled")
    if not shuffle and got == ref(shuffle=True):
        raise AssertionError("you shuffle although shuffle=False: keep the indices in order")
    if shuffle and epoch and got == ref(epoch=0):
        raise AssertionError("you ignore `epoch`: the shuffle must be seeded with seed + epoch so every epoch differs")
    if shuffle and seed and got in (ref(seed=0), ref(seed=0, epoch=0)):
        raise AssertionError("you ignore `seed`: the shuffle must be seeded with seed + epoch")
    if drop_last and any(len(g) != len(w) for g, w in zip(got, want, strict=True)):
        raise AssertionError("with drop_last=True the tail is dropped, never padded: every rank gets "
                             "floor(dataset_size / num_replicas) indices (round down, not up)")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        perm = torch.randperm(n, generator=g).tolist()
    else:
        perm = list(range(n))
    size = len(want[0])
    total = size * replicas
    if not drop_last and n % replicas and all(len(g) == len(w) for g, w in zip(got, want, strict=True)):
        for wrong in (perm + [perm[-1]] * (total - n), perm + [0] * (total - n), perm + list(range(total - n))):
            if got == [wrong[r:total:replicas] for r in range(replicas)]:
                raise AssertionError("wrong padding: pad by wrapping around to the start of the (shuffled) indices, "
                                     "as DistributedSampler does")
    if not drop_last and total - n > n:
        once = perm + perm[: total - n]
        if got == [once[r:total:replicas] for r in range(replicas)]:
            raise AssertionError("the padding must wrap around more than once when it is longer than the dataset "
                                 "(more ranks than samples): repeat the indices until there are enough")
    if not drop_last and n % replicas and any(len(g) != size for g in got):
        raise AssertionError("ranks got different numbers of indices; pad the list to a multiple of num_replicas "
                             "(or truncate when drop_last) so every rank gets the same count")
    padded = (perm * math.ceil(total / max(n, 1)))[:total] if not drop_last else perm[:total]
    if got == [padded[r * size:(r + 1) * size] for r in range(replicas)]:
        raise AssertionError("you give each rank a contiguous block; DistributedSampler takes every "
                             "num_replicas-th index starting at rank (indices[rank::num_replicas])")
    if shuffle and is_layout_of_some_order(got, n, replicas, drop_last):
        raise AssertionError("the right indices in the wrong order: shuffle with torch.randperm(n, generator=g) "
                             "where g = torch.Generator() seeded with seed + epoch (not Python's random or numpy)")
    raise AssertionError(f"rank indices differ from DistributedSampler's for dataset_size={n}, "
                         f"num_replicas={replicas}, shuffle={shuffle}, drop_last={drop_last}")


def is_layout_of_some_order(got, n, replicas, drop_last):
    """Whether ``got`` is padded, truncated and strided right, only from another permutation of range(n)."""
    size = len(got[0])
    if any(len(g) != size for g in got):
        return False
    total = size * replicas
    merged = [got[i % replicas][i // replicas] for i in range(total)]
    head = merged[: min(n, total)]
    if len(set(head)) != len(head) or not all(0 <= i < n for i in head):
        return False
    return drop_last or merged == (head * math.ceil(total / max(n, 1)))[:total]


@probe
def global_rng_unchanged(mod, n, replicas, seed, epoch):
    torch.manual_seed(2024)
    before = torch.get_rng_state()
    mod.partition_indices(n, replicas, 0, shuffle=True, seed=seed, epoch=epoch)
    return bool(torch.equal(before, torch.get_rng_state()))


@pytest.mark.points(1)
def test_shuffled_even_split(student):
    """Shuffles like DistributedSampler (even split), with its own generator"""
    diagnose(student, 12, 3, seed=0)
    diagnose(student, 40, 4, seed=7)
    assert student.probe(global_rng_unchanged, 12, 3, 4, 1), (
        "partition_indices changes torch's global random state (torch.manual_seed or an unseeded torch.randperm), "
        "which resets every other random number of the training; shuffle with your own torch.Generator seeded "
        "with seed + epoch, as DistributedSampler does")


@pytest.mark.points(1)
def test_epoch_changes_order(student):
    """Reshuffles every epoch with seed + epoch"""
    diagnose(student, 20, 2, seed=3, epoch=1)
    diagnose(student, 20, 2, seed=3, epoch=5)


@pytest.mark.points(2)
def test_pads_by_wrapping(student):
    """Pads uneven splits by wrapping around"""
    diagnose(student, 10, 4, seed=1)
    diagnose(student, 7, 3, shuffle=False)
    diagnose(student, 3, 8, shuffle=False)


@pytest.mark.points(1)
def test_drop_last(student):
    """drop_last truncates to an even split"""
    diagnose(student, 10, 4, seed=2, drop_last=True)
    diagnose(student, 11, 3, shuffle=False, drop_last=True)


@pytest.mark.points(1)
def test_strided_not_blocks(student):
    """Takes every num_replicas-th index from rank"""
    diagnose(student, 16, 4, shuffle=False)
    diagnose(student, 9, 2, seed=11)


@pytest.mark.points(1)
def test_rank_out_of_range(student):
    """Rejects a rank outside [0, num_replicas)"""
    for rank in (2, -1, 5):
        expect_raises("ValueError", lambda rank=rank: student.call("partition_indices", 10, 2, rank),
                      f"rank={rank} with num_replicas=2 must raise ValueError")
