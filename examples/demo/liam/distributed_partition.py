import math
import torch

# liam o'brien -- hw3


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank < 0 or rank >= num_replicas:
        raise ValueError('rank must be < num_replicas')
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed + epoch)
        idx = torch.randperm(dataset_size, generator=g).tolist()
    else:
        idx = list(range(dataset_size))
    if drop_last:
        n = dataset_size // num_replicas
        idx = idx[:n * num_replicas]
    else:
        n = math.ceil(dataset_size / num_replicas)
        # pad with the last index so every rank has the same number
        while len(idx) < n * num_replicas:
            idx.append(idx[-1])
    return idx[rank::num_replicas]
