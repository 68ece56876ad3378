"""Exercise 3: WeightedRandomSampler for class imbalance."""

from collections import Counter

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = [int(l) for l in labels]          # works for list, tensor and ndarray
    counts = Counter(labels)
    # each sample gets 1 / (size of its class), so every class has total weight 1
    return torch.tensor([1.0 / counts[l] for l in labels], dtype=torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(labels)
    return WeightedRandomSampler(weights, num_samples, replacement=True, generator=generator)
