"""Exercise 2: a train/validation split with SubsetRandomSampler.

Implement ``split_indices`` and ``make_loaders``; see README.md in this folder.
"""

from __future__ import annotations

import math

import torch
from torch.utils.data import DataLoader, Dataset, Subset


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 0 <= val_ratio < 1:
        raise ValueError("val_ratio must be in [0, 1)")
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=generator).tolist()
    n_val = math.floor(val_ratio * n)
    return order[n_val:], order[:n_val]


def make_loaders(dataset: Dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    # Subset is easier than samplers (from the PyTorch forum)
    train_loader = DataLoader(Subset(dataset, train_idx), batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_idx), batch_size=batch_size, shuffle=True)
    return train_loader, val_loader
