# expect: must raise ValueError (your code raised nothing)
"""Never validates rank: an out-of-range rank silently gets a slice."""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=g).tolist()
    else:
        indices = list(range(dataset_size))
    if drop_last:
        total = (dataset_size // num_replicas) * num_replicas
        indices = indices[:total]
    else:
        total = math.ceil(dataset_size / num_replicas) * num_replicas
        indices = (indices * math.ceil(total / max(len(indices), 1)))[:total]
    return indices[rank:total:num_replicas]
