# expect: one weight per class
# score: 3
"""Returns the class weights 1 / class size (length K) instead of one weight per sample."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    class_counts = torch.bincount(labels)
    return 1.0 / class_counts.double()


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)

