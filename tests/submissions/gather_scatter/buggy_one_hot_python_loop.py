# expect: one_hot is too slow
# score: 9
"""Sets the ones of one_hot one row at a time."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    for row, label in enumerate(labels.tolist()):
        out[row, label] = 1.0
    return out


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
