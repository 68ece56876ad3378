# expect: class_sums must have num_classes entries even when the highest classes never appear
"""Sums with torch.bincount, forgetting minlength (and bincount's weights change the dtype)."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.bincount(labels, weights=values)
