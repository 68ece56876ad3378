"""Exercise 7: the indices DistributedSampler gives one rank.

Implement ``partition_indices`` without DistributedSampler; see README.md in this folder.
"""

from __future__ import annotations

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    """Exactly ``list(DistributedSampler(...))`` for ``rank`` after ``set_epoch(epoch)``."""
    # BEGIN SOLUTION
    if not 0 <= rank < num_replicas:
        raise ValueError(f"rank {rank} is outside [0, {num_replicas})")
    if shuffle:
        generator = torch.Generator()
        generator.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=generator).tolist()
    else:
        indices = list(range(dataset_size))
    if drop_last and dataset_size % num_replicas:
        num_samples = math.ceil((dataset_size - num_replicas) / num_replicas)
    else:
        num_samples = math.ceil(dataset_size / num_replicas)
    total_size = num_samples * num_replicas
    if not drop_last:
        padding = total_size - len(indices)
        if padding <= len(indices):
            indices += indices[:padding]
        else:
            indices += (indices * math.ceil(padding / len(indices)))[:padding]
    else:
        indices = indices[:total_size]
    return indices[rank:total_size:num_replicas]
    # END SOLUTION
