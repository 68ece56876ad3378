# expect: full marks
"""Pure-Python arithmetic: pad with itertools.cycle, then take every num_replicas-th index."""

import itertools

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank < 0 or rank >= num_replicas:
        raise ValueError(f"rank must be in [0, {num_replicas}), got {rank}")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        order = torch.randperm(dataset_size, generator=g).tolist()
    else:
        order = list(range(dataset_size))
    if drop_last:
        per_rank = dataset_size // num_replicas
    else:
        per_rank = -(-dataset_size // num_replicas)  # ceiling division
    total = per_rank * num_replicas
    padded = list(itertools.islice(itertools.cycle(order), total)) if order else []
    return padded[rank::num_replicas]
