# expect: global random
"""Shuffles with the global RNG and never seeds: each call (each rank) gets its own permutation."""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("rank out of range")
    indices = torch.randperm(dataset_size).tolist() if shuffle else list(range(dataset_size))
    if drop_last:
        total = (dataset_size // num_replicas) * num_replicas
        indices = indices[:total]
    else:
        total = math.ceil(dataset_size / num_replicas) * num_replicas
        indices = (indices * math.ceil(total / max(len(indices), 1)))[:total]
    return indices[rank:total:num_replicas]
