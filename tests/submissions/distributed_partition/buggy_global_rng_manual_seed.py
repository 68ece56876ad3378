# expect: global random
"""Reseeds torch's global RNG with seed + epoch: right indices, but every other random op is reset."""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("rank out of range")
    if shuffle:
        torch.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size).tolist()
    else:
        indices = list(range(dataset_size))
    if drop_last:
        total = (dataset_size // num_replicas) * num_replicas
        indices = indices[:total]
    else:
        total = math.ceil(dataset_size / num_replicas) * num_replicas
        indices = (indices * math.ceil(total / max(len(indices), 1)))[:total]
    return indices[rank:total:num_replicas]
