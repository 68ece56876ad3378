# expect: class_sums loses precision on large int64 values
# score: 9
"""Sums in float64 and casts back to the values' dtype: fine for small ints, wrong for large ones."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    sums = torch.zeros(num_classes, dtype=torch.float64).index_add_(0, labels, values.double())
    return sums.to(values.dtype)
