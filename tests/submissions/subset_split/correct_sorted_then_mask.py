# expect: full marks
"""Chooses the validation indices with a seeded torch generator, then keeps the rest (in order) for training."""

import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0:
        raise ValueError("n must not be negative")
    if not 0 <= val_ratio < 1:
        raise ValueError("val_ratio must be in [0, 1)")
    g = torch.Generator().manual_seed(seed)
    n_val = int(n * val_ratio)
    chosen = torch.randperm(n, generator=g)[:n_val]
    mask = torch.ones(n, dtype=torch.bool)
    mask[chosen] = False
    train_idx = torch.arange(n)[mask].tolist()
    return train_idx, sorted(chosen.tolist())


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
