# expect: this exercise forbids `torch.utils.data.DistributedSampler`
# score: 8
"""Wraps the forbidden DistributedSampler: right indices, minus the forbidden-API points."""

from torch.utils.data import DistributedSampler


class _Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    sampler = DistributedSampler(_Sized(dataset_size), num_replicas=num_replicas, rank=rank,
                                 shuffle=shuffle, seed=seed, drop_last=drop_last)
    sampler.set_epoch(epoch)
    return list(sampler)
