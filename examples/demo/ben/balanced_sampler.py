# Ben Carter - homework 3
import torch
from torch.utils.data import WeightedRandomSampler


def sample_weights(labels):
    labels = torch.as_tensor(labels, dtype=torch.long)
    counts = torch.bincount(labels)
    return (1.0 / counts.double())[labels]


def make_balanced_sampler(labels, num_samples=None, generator=None):
    w = sample_weights(labels)
    return WeightedRandomSampler(w, num_samples if num_samples else len(w), replacement=True, generator=generator)
