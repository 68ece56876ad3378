# expect: split_indices changes numpy's global random state
# score: 9
"""The textbook recipe: np.random.seed(seed) then np.random.shuffle."""

import numpy as np
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad split arguments")
    indices = list(range(n))
    split = int(np.floor(val_ratio * n))
    np.random.seed(seed)
    np.random.shuffle(indices)
    return indices[split:], indices[:split]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx)))
