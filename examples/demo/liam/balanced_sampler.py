import torch
from collections import Counter
from torch.utils.data import WeightedRandomSampler

# liam o'brien -- hw3


def sample_weights(labels):
    labels = list(labels)
    counts = Counter(labels)
    return torch.tensor([1 / counts[l] for l in labels], dtype=torch.float64)


def make_balanced_sampler(labels, num_samples=None, generator=None):
    w = sample_weights(labels)
    if num_samples is None:
        num_samples = len(w)
    return WeightedRandomSampler(w, num_samples, replacement=False, generator=generator)
