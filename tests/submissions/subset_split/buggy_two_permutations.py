# expect: train_idx and val_idx overlap
# score: 7
"""Draws the validation and the training indices from two different permutations, so they overlap."""

import math

import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad split arguments")
    g = torch.Generator().manual_seed(seed)
    n_val = math.floor(val_ratio * n)
    val_idx = torch.randperm(n, generator=g)[:n_val].tolist()
    train_idx = torch.randperm(n, generator=g)[n_val:].tolist()
    return train_idx, val_idx


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
