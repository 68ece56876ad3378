# expect: default it to len(labels)
# score: 8
"""Passes num_samples=None straight on to WeightedRandomSampler."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels)
    return 1.0 / counts.double()[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    return WeightedRandomSampler(sample_weights(labels), num_samples=num_samples, replacement=True,
                                 generator=generator)
