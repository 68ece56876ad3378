import math
import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed)
        indices = torch.randperm(dataset_size, generator=g).tolist()
    else:
        indices = list(range(dataset_size))
    per_rank = math.ceil(dataset_size / num_replicas)
    indices += indices[: per_rank * num_replicas - dataset_size]
    return indices[rank * per_rank:(rank + 1) * per_rank]
