# HW3 ex2 - Jonas Weber
import math
import torch
from torch.utils.data import DataLoader, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or val_ratio < 0 or val_ratio >= 1:
        raise ValueError("invalid input")
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(n, generator=g).tolist()
    n_val = math.floor(n * val_ratio)
    return perm[n_val:], perm[:n_val]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    # shuffle the training data every epoch!!
    train_loader = DataLoader(dataset, batch_size=batch_size, shuffle=True,
                              sampler=SubsetRandomSampler(train_idx))
    val_loader = DataLoader(dataset, batch_size=batch_size, shuffle=False,
                            sampler=SubsetRandomSampler(val_idx))
    return train_loader, val_loader
