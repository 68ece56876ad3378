# expect: you weight each sample by the size of its class
# score: 6
"""Weights each sample by its class size instead of the inverse."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels).double()
    return counts[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

