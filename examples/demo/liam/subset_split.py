import torch
from torch.utils.data import DataLoader, SubsetRandomSampler

# liam o'brien -- hw3


def split_indices(n, val_ratio=0.2, seed=0):
    if n < 0 or val_ratio < 0 or val_ratio >= 1:
        raise ValueError('bad args')
    g = torch.Generator()
    g.manual_seed(seed)
    perm = torch.randperm(n, generator=g).tolist()
    n_train = int(n * (1 - val_ratio))
    train_idx = perm[:n_train]
    val_idx = perm[n_train:]
    # print(len(train_idx), len(val_idx))
    return train_idx, val_idx


def make_loaders(dataset, val_ratio=0.2, batch_size=2, seed=0):
    tr, va = split_indices(len(dataset), val_ratio, seed)
    return (DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(tr)),
            DataLoader(dataset, batch_size=batch_size, sampler=SubsetRandomSampler(va)))
