# expect: torch.randperm(n, generator=g)
"""Shuffles with a seeded random.Random: deterministic, but not DistributedSampler's order."""

import math
import random


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("rank out of range")
    indices = list(range(dataset_size))
    if shuffle:
        random.Random(seed + epoch).shuffle(indices)
    if drop_last:
        total = (dataset_size // num_replicas) * num_replicas
        indices = indices[:total]
    else:
        total = math.ceil(dataset_size / num_replicas) * num_replicas
        indices = (indices * math.ceil(total / max(len(indices), 1)))[:total]
    return indices[rank:total:num_replicas]
