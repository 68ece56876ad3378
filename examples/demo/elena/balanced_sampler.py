"""Exercise 3: WeightedRandomSampler for class imbalance.

Implement ``sample_weights`` and ``make_balanced_sampler``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels).long()
    counts = torch.bincount(labels).double()
    return 1.0 / counts[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    return WeightedRandomSampler(weights, num_samples=num_samples or len(weights), replacement=True,
                                 generator=generator)
