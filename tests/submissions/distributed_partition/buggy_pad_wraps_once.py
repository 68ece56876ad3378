# expect: more than once
"""Wraps around only once: breaks when there are more ranks than samples."""

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
        total = (dataset_size // num_replicas) * num_replicas
        indices = indices[:total]
    else:
        total = math.ceil(dataset_size / num_replicas) * num_replicas
        indices += indices[: total - len(indices)]
    return indices[rank:total:num_replicas]
