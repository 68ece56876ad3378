"""Exercise 2: train/validation split.  -- Priya"""

import numpy as np
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not (0 <= val_ratio < 1):
        raise ValueError(f"bad arguments: n={n}, val_ratio={val_ratio}")
    rng = np.random.default_rng(seed)  # own generator, global state untouched
    perm = rng.permutation(n).tolist()
    n_val = int(val_ratio * n)  # floor (n and ratio are non-negative)
    return perm[n_val:], perm[:n_val]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    train_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx))
    val_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx))
    return train_loader, val_loader
