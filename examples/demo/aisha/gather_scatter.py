"""Exercise 6: gather and scatter instead of Python loops."""

from __future__ import annotations

import torch


def pick(logits, targets):
    # gather the target score of every sample
    out = torch.gather(logits, 0, targets.unsqueeze(0))
    return out.squeeze(0)


def one_hot(labels, num_classes):
    out = torch.zeros(labels.shape[0], num_classes, dtype=torch.float32)
    out.scatter_(1, labels.unsqueeze(1), 1.0)
    return out


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype)
    out.scatter_(0, labels, values)
    return out
