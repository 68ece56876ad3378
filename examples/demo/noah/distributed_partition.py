# Noah Fischer, HW 3, exercise 7
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
        num_samples = dataset_size // num_replicas
    else:
        num_samples = math.ceil(dataset_size / num_replicas)
    total = num_samples * num_replicas
    while len(indices) < total:
        indices += indices[: total - len(indices)]
    return indices[rank:total:num_replicas]
