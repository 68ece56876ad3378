# expect: counting the elements of a tensor with collections.Counter
# score: 9
"""Counts the classes with collections.Counter straight over the labels (fine for a list, not a tensor)."""

from collections import Counter

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    counts = Counter(labels)
    return torch.tensor([1.0 / counts[y] for y in labels], dtype=torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

