"""Exercise 3: WeightedRandomSampler for class imbalance."""

from __future__ import annotations

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.int64)
    counts = torch.bincount(labels)
    weights = 1.0 / counts.double()
    return weights[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)
