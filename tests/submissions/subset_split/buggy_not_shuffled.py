# expect: your split is not random
# score: 9
"""Keeps the last floor(val_ratio * n) indices for validation, without shuffling."""

import math

from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad split arguments")
    n_val = math.floor(val_ratio * n)
    indices = list(range(n))
    return indices[: n - n_val], indices[n - n_val:]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
