"""Exercise 2: a train/validation split with SubsetRandomSampler.

Implement ``split_indices`` and ``make_loaders``; see README.md in this folder.
"""

from __future__ import annotations

import math

import torch
from torch.utils.data import DataLoader, Dataset, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    """Split ``range(n)`` at random into ``(train_idx, val_idx)``, two lists of ints.

    ``len(val_idx) == floor(val_ratio * n)``; the two lists are disjoint and
    together hold every index of ``range(n)`` once. The same ``seed`` gives the
    same split, other seeds give other splits, and torch's, numpy's and
    Python's global random state is left alone. Raises ``ValueError`` unless
    ``0 <= val_ratio < 1`` and ``n >= 0``.
    """
    indices = list(range(n))
    n_val = math.floor(val_ratio * n)
    # the SubsetRandomSampler shuffles anyway so no need to shuffle here?
    return indices[n_val:], indices[:n_val]


def make_loaders(dataset: Dataset, val_ratio=0.2, batch_size=2, seed=0):
    """``(train_loader, val_loader)``: two DataLoaders over one ``dataset``.

    Each samples with a ``SubsetRandomSampler``: the train loader over the
    ``train_idx`` and the validation loader over the ``val_idx`` of
    ``split_indices(len(dataset), val_ratio, seed)``, both with ``batch_size``.
    """
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    train_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx))
    val_loader = DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx))
    return train_loader, val_loader
