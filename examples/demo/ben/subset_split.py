# Ben Carter - homework 3
import torch
from torch.utils.data import DataLoader, Subset, SubsetRandomSampler


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or not 0 <= val_ratio < 1:
        raise ValueError("bad n / val_ratio")
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    n_val = int(val_ratio * n)
    return perm[n_val:], perm[:n_val]


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    train_idx, val_idx = split_indices(len(dataset), val_ratio, seed)
    train_set, val_set = Subset(dataset, train_idx), Subset(dataset, val_idx)
    train_loader = DataLoader(train_set, batch_size=batch_size, sampler=SubsetRandomSampler(train_idx))
    val_loader = DataLoader(val_set, batch_size=batch_size, sampler=SubsetRandomSampler(val_idx))
    return train_loader, val_loader
