# expect: sample_weights fails when labels is a 1-D numpy array
# score: 9
"""Converts lists to tensors, but assumes anything else already is a tensor (numpy arrays are not)."""

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    if isinstance(labels, list):
        labels = torch.tensor(labels)
    _, inverse, counts = labels.unique(return_inverse=True, return_counts=True)
    return 1.0 / counts[inverse].double()


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)
