"""Exercise 7: the indices DistributedSampler gives one rank."""

from __future__ import annotations

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank < 0 or rank >= num_replicas:
        raise ValueError(f"invalid rank {rank}")
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
    total = per_rank * num_replicas
    if total > len(indices):
        indices = (indices * (total // len(indices) + 1))[:total]
    else:
        indices = indices[:total]
    return indices[rank:total:num_replicas]
