# expect: must raise ValueError: val_ratio must be in [0, 1)
# score: 9
"""Never validates its arguments."""

import math

import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(max(n, 0), generator=g).tolist()
    n_val = math.floor(val_ratio * n)
    return perm[n_val:], perm[:n_val]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
