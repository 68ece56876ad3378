# expect: with drop_last=True
"""Never drops anything: pads even when drop_last=True."""

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
    total = math.ceil(dataset_size / num_replicas) * num_replicas
    indices = (indices * math.ceil(total / max(len(indices), 1)))[:total]
    return indices[rank:total:num_replicas]
