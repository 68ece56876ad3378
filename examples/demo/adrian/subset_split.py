"""HW3 / exercise 2 (Adrian Popescu)"""

import math

import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0:
        raise ValueError("n must not be negative")
    if not 0 <= val_ratio < 1:
        raise ValueError("val_ratio must be in [0, 1)")
    gen = torch.Generator()
    gen.manual_seed(seed)
    perm = torch.randperm(n, generator=gen).tolist()
    k = math.floor(n * val_ratio)
    return perm[k:], perm[:k]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio=val_ratio, seed=seed)
    train = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx))
    val = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx))
    return train, val
