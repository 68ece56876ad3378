"""Exercise 3: WeightedRandomSampler for class imbalance.

Implement ``sample_weights`` and ``make_balanced_sampler``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.int64)
    class_count = torch.bincount(labels)
    return (1.0 / class_count[labels]).to(torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(labels)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)
