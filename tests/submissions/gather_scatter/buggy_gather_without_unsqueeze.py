# expect: torch.gather needs an index with as many dims as logits
"""Passes the 1-D targets straight to gather."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
