# expect: you compute the training size first
# score: 9
"""Sizes the training part with int(n * (1 - val_ratio)); the validation part gets the rest."""

import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad split arguments")
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(n, generator=g).tolist()
    n_train = int(n * (1 - val_ratio))
    return perm[:n_train], perm[n_train:]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
