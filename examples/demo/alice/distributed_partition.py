"""Homework 2 - Alice."""
import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank < 0 or rank >= num_replicas:
        raise ValueError("bad rank")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        order = torch.randperm(dataset_size, generator=g).tolist()
    else:
        order = list(range(dataset_size))
    if drop_last:
        per_rank = dataset_size // num_replicas
        order = order[: per_rank * num_replicas]
    else:
        per_rank = -(-dataset_size // num_replicas)
        while len(order) < per_rank * num_replicas:
            order += order[: per_rank * num_replicas - len(order)]
    return order[rank::num_replicas]
