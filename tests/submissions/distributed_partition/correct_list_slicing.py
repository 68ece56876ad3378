# expect: full marks
"""Plain lists and slicing, with a while loop for the wrap-around padding."""

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    if rank not in range(num_replicas):
        raise ValueError("rank out of range")
    indices = list(range(dataset_size))
    if shuffle:
        generator = torch.Generator()
        generator.manual_seed(seed + epoch)
        indices = torch.randperm(dataset_size, generator=generator).tolist()
    if drop_last:
        indices = indices[: len(indices) - len(indices) % num_replicas]
    else:
        base = list(indices)
        while len(indices) % num_replicas:
            indices.append(base[(len(indices) - len(base)) % len(base)])
    return indices[rank::num_replicas]
