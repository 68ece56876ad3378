# expect: wrong padding: pad by wrapping around
"""Pads an uneven split with index 0, like zero-padding a tensor."""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError("rank out of range")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=g)
    else:
        indices = torch.arange(dataset_size)
    per_rank = dataset_size // num_replicas if drop_last else math.ceil(dataset_size / num_replicas)
    total = per_rank * num_replicas
    if total > dataset_size:
        indices = torch.nn.functional.pad(indices, (0, total - dataset_size))
    return indices[:total][rank::num_replicas].tolist()
