# expect: you scatter along dim 0
"""Scatters the labels along dim 0, giving a [num_classes, N] table."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(num_classes, len(labels))
    return out.scatter_(0, labels.unsqueeze(0), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
