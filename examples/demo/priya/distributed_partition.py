"""Exercise 7: DistributedSampler by hand.  -- Priya"""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank < 0 or rank >= num_replicas:
        raise ValueError(f"rank must be in [0, {num_replicas}), got {rank}")
    if shuffle:
        g = torch.Generator().manual_seed(seed + epoch)
        idx = torch.randperm(dataset_size, generator=g).tolist()
    else:
        idx = list(range(dataset_size))

    if drop_last:
        per_rank = dataset_size // num_replicas
        idx = idx[: per_rank * num_replicas]
    else:
        per_rank = math.ceil(dataset_size / num_replicas)
        total = per_rank * num_replicas
        reps = math.ceil(total / len(idx)) if idx else 0
        idx = (idx * reps)[:total]  # wrap around (more than once if needed)
    return idx[rank::num_replicas]
