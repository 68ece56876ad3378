# expect: full marks
"""random.Random(seed) shuffles a list in place; sizes with integer arithmetic."""

import math
import random

import torch


def split_indices(n, val_ratio=0.2, seed=0):
    if not (n >= 0 and 0.0 <= val_ratio < 1.0):
        raise ValueError(f"bad arguments: n={n}, val_ratio={val_ratio}")
    indices = list(range(n))
    rng = random.Random(seed)
    rng.shuffle(indices)
    n_val = math.floor(n * val_ratio)
    val_idx = indices[:n_val]
    train_idx = indices[n_val:]
    return train_idx, val_idx


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio=val_ratio, seed=seed)
    train_sampler = torch.utils.data.SubsetRandomSampler(train_idx)
    val_sampler = torch.utils.data.SubsetRandomSampler(val_idx)
    train_loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, sampler=train_sampler, shuffle=False)
    val_loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, sampler=val_sampler, shuffle=False)
    return train_loader, val_loader
