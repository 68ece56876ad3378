# expect: full marks
"""Plain Python: labels to ints, a Counter of the class sizes, a float64 tensor at the end."""

from collections import Counter

import torch
from torch.utils.data import WeightedRandomSampler


def _as_ints(labels):
    if hasattr(labels, "tolist"):
        labels = labels.tolist()
    return [int(y) for y in labels]


def sample_weights(labels):
    labels = _as_ints(labels)
    sizes = Counter(labels)
    return torch.tensor([1 / sizes[y] for y in labels], dtype=torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    if num_samples is None:
        num_samples = len(_as_ints(labels))
    return WeightedRandomSampler(weights=sample_weights(labels), num_samples=num_samples, replacement=True,
                                 generator=generator)
