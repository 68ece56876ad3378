"""Exercise 3: WeightedRandomSampler for class imbalance.

Implement ``sample_weights`` and ``make_balanced_sampler``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    """One weight per sample: ``1 / (number of samples of its class)``.

    ``labels`` is a list, a 1-D tensor or a 1-D numpy array of ints (length N).
    Returns a float64 tensor of shape ``[N]``.
    """
    # BEGIN SOLUTION
    labels = torch.as_tensor(labels, dtype=torch.int64).reshape(-1)
    _, class_of, class_sizes = torch.unique(labels, return_inverse=True, return_counts=True)
    return 1.0 / class_sizes.to(torch.float64)[class_of]
    # END SOLUTION


def make_balanced_sampler(labels, num_samples=None, generator=None):
    """A ``WeightedRandomSampler`` that draws every class equally often.

    Draws with replacement, ``num_samples`` indices per epoch (default:
    ``len(labels)``), from ``generator`` when one is given.
    """
    # BEGIN SOLUTION
    weights = sample_weights(labels)
    if num_samples is None:
        num_samples = len(weights)
    return WeightedRandomSampler(weights, num_samples=num_samples, replacement=True, generator=generator)
    # END SOLUTION
