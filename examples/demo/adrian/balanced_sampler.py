"""HW3 / exercise 3 (Adrian Popescu)"""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    y = torch.as_tensor(labels, dtype=torch.long)
    classes, counts = torch.unique(y, return_counts=True)
    w = torch.empty(len(y), dtype=torch.float64)
    for c, n in zip(classes, counts):
        w[y == c] = 1.0 / n.item()
    return w


def make_balanced_sampler(labels, num_samples=None, generator=None):
    w = sample_weights(labels)
    if num_samples is None:
        num_samples = len(w)
    return WeightedRandomSampler(w, num_samples=num_samples, replacement=True, generator=generator)
