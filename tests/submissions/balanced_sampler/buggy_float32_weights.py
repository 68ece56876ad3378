# expect: the weights must be float64
# score: 8
"""Computes the weights in float32 (the default dtype)."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels).float()
    return 1.0 / counts[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

