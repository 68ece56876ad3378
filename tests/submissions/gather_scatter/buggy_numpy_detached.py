# expect: pick's result is cut off from logits
# score: 9
"""Picks with NumPy fancy indexing (fast), which needs .detach() and so cuts the autograd graph."""

import numpy as np
import torch


def pick(logits, targets):
    rows = np.arange(len(targets))
    return torch.from_numpy(logits.detach().numpy()[rows, targets.numpy()])


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
