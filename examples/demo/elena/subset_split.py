"""Exercise 2: a train/validation split with SubsetRandomSampler.

Implement ``split_indices`` and ``make_loaders``; see README.md in this folder.
"""

from __future__ import annotations

import math

import torch
from torch.utils.data import DataLoader, Dataset, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not (0 <= val_ratio < 1):
        raise ValueError("n must be >= 0 and val_ratio in [0, 1)")
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(n, generator=g)
    n_val = math.floor(val_ratio * n)
    return perm[n_val:].tolist(), perm[:n_val].tolist()


def make_loaders(dataset: Dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
