# expect: you give each rank a contiguous block
"""Gives each rank one contiguous chunk of the (padded) index list."""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("rank out of range")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=g).tolist()
    else:
        indices = list(range(dataset_size))
    if drop_last:
        per_rank = dataset_size // num_replicas
    else:
        per_rank = math.ceil(dataset_size / num_replicas)
        while len(indices) < per_rank * num_replicas:
            indices += indices[: per_rank * num_replicas - len(indices)]
    return indices[rank * per_rank:(rank + 1) * per_rank]
