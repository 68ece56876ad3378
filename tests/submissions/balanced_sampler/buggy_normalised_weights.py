# expect: proportional to 1 / (class size) but scaled
# score: 7
"""Normalises the weights to sum to one (a probability distribution)."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels).double()
    weights = 1.0 / counts[labels]
    return weights / weights.sum()


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

