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
    raise NotImplementedError


def make_balanced_sampler(labels, num_samples=None, generator=None):
    """A ``WeightedRandomSampler`` that draws every class equally often.

    Draws with replacement, ``num_samples`` indices per epoch (default:
    ``len(labels)``), from ``generator`` when one is given.
    """
    raise NotImplementedError
