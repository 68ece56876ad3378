"""Hidden checks: distributed_partition (7 points; public 1, forbidden-API check 2)."""

import math

import pytest
import torch

from grader.checks import expect_raises


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
    want = [reference(n, replicas, r, shuffle, seed, epoch, drop_last) for r in range(replicas)]
    if got == want:
        return
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        perm = torch.randperm(n, generator=g).tolist()
    else:
        perm = list(range(n))
    size = len(want[0])
    if shuffle and epoch and got == [reference(n, replicas, r, shuffle, seed, 0, drop_last) for r in range(replicas)]:
        raise AssertionError("you ignore `epoch`: the shuffle must be seeded with seed + epoch so every epoch differs")
    if not drop_last and n % replicas and all(len(g) == len(w) for g, w in zip(got, want)):
        total = size * replicas
        for wrong in (perm + [perm[-1]] * (total - n), perm + [0] * (total - n), perm + list(range(total - n))):
            if got == [wrong[r:total:replicas] for r in range(replicas)]:
                raise AssertionError("wrong padding: pad by wrapping around to the start of the (shuffled) indices, "
                                     "as DistributedSampler does")
    if not drop_last and n % replicas and any(len(g) != size for g in got):
        raise AssertionError("ranks got different numbers of indices; pad the list to a multiple of num_replicas "
                             "(or truncate when drop_last) so every rank gets the same count")
    padded = (perm * math.ceil(size * replicas / max(n, 1)))[: size * replicas] if not drop_last else perm[: size * replicas]
    if got == [padded[r * size:(r + 1) * size] for r in range(replicas)]:
        raise AssertionError("you give each rank a contiguous block; DistributedSampler takes every "
                             "num_replicas-th index starting at rank (indices[rank::num_replicas])")
    if drop_last and all(len(g) == len(w) + 1 for g, w in zip(got, want)):
        raise AssertionError("with drop_last=True the tail is dropped: each rank gets floor(n / num_replicas) indices")
    if shuffle and sorted(sum(got, [])) == sorted(sum(want, [])):
        raise AssertionError("the right indices in the wrong order: shuffle with torch.randperm(n, generator=g) "
                             "where g = torch.Generator() seeded with seed + epoch")
    raise AssertionError(f"rank indices differ from DistributedSampler's for dataset_size={n}, "
                         f"num_replicas={replicas}, shuffle={shuffle}, drop_last={drop_last}")


@pytest.mark.points(1)
def test_shuffled_even_split(student):
    """Shuffles like DistributedSampler (even split)"""
    diagnose(student, 12, 3, seed=0)
    diagnose(student, 40, 4, seed=7)


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
        expect_raises("ValueError", lambda: student.call("partition_indices", 10, 2, rank),
                      f"rank={rank} with num_replicas=2 must raise ValueError")
