"""Exercise 7: the indices DistributedSampler gives one rank."""

from __future__ import annotations

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("Invalid rank {}, rank should be in the interval [0, {}]".format(rank, num_replicas - 1))

    # same as torch/utils/data/distributed.py
    if drop_last and dataset_size % num_replicas != 0:
        num_samples = math.ceil((dataset_size - num_replicas) / num_replicas)
    else:
        num_samples = math.ceil(dataset_size / num_replicas)
    total_size = num_samples * num_replicas

    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=g).tolist()
    else:
        indices = list(range(dataset_size))

    if not drop_last:
        padding_size = total_size - len(indices)
        if padding_size <= len(indices):
            indices += indices[:padding_size]
        else:
            indices += (indices * math.ceil(padding_size / len(indices)))[:padding_size]
    else:
        indices = indices[:total_size]

    return indices[rank:total_size:num_replicas]
