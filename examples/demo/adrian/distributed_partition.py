"""HW3 / exercise 7 (Adrian Popescu)"""

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not 0 <= rank < num_replicas:
        raise ValueError(f"rank {rank} out of range for {num_replicas} replicas")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=g).tolist()
    else:
        indices = list(range(dataset_size))

    if drop_last:
        num_samples = dataset_size // num_replicas
        total_size = num_samples * num_replicas
        padded = indices[:total_size]
    else:
        num_samples = math.ceil(dataset_size / num_replicas)
        total_size = num_samples * num_replicas
        # wrap around to the start until every rank gets the same amount
        padded = list(indices)
        while len(indices) < total_size:
            padded += indices[: total_size - len(padded)]
    return padded[rank:total_size:num_replicas]
