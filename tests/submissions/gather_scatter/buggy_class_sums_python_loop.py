# expect: class_sums is too slow
# score: 9
"""Accumulates the class sums with a Python loop over (value, label) pairs."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype)
    for value, label in zip(values, labels):
        out[label] += value
    return out
