# expect: every sample gets the same weight (1/N)
# score: 6
"""Gives every sample the weight 1/N, as if the weights had to sum to one."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    n = len(labels)
    return torch.full((n,), 1.0 / n, dtype=torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

