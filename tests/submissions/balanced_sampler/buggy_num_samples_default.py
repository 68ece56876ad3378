# expect: num_samples must default to len(labels)
# score: 8
"""Defaults num_samples to K * (largest class size), "enough to see every majority sample once"."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels)
    return 1.0 / counts.double()[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        counts = torch.bincount(torch.as_tensor(labels, dtype=torch.long))
        num_samples = int((counts > 0).sum() * counts.max())
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)
