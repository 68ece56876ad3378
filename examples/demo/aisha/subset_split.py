"""Exercise 2: a train/validation split with SubsetRandomSampler."""

from __future__ import annotations

import math
import random

from torch.utils.data import DataLoader, Dataset, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0:
        raise ValueError("n < 0")
    if not 0 <= val_ratio < 1:
        raise ValueError("val_ratio must be in [0, 1)")
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    n_val = math.floor(val_ratio * n)
    return idx[n_val:], idx[:n_val]


def make_loaders(dataset: Dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    train_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx))
    val_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx))
    return train_loader, val_loader
