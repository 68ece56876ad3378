# expect: full marks
"""Counts classes with scatter_add_ into a float64 tensor, then gathers each sample's count."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    y = torch.as_tensor(labels).long()
    counts = torch.zeros(int(y.max()) + 1, dtype=torch.float64)
    counts.scatter_add_(0, y, torch.ones_like(y, dtype=torch.float64))
    return counts.gather(0, y).reciprocal()


def make_balanced_sampler(labels, num_samples=None, generator=None):
    w = sample_weights(labels)
    return WeightedRandomSampler(w, num_samples=len(w) if num_samples is None else num_samples, generator=generator)
