# expect: the train loader's sampler is a RandomSampler
# score: 8
"""Subsets with shuffle=True instead of SubsetRandomSampler (same samples, not what was asked)."""

import math

import torch
from torch.utils.data import DataLoader, Subset


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad split arguments")
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(n, generator=g).tolist()
    n_val = math.floor(val_ratio * n)
    return perm[n_val:], perm[:n_val]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(Subset(dataset, train_idx), batch_size=batch_size, shuffle=True),
            DataLoader(Subset(dataset, val_idx), batch_size=batch_size, shuffle=True))
