# expect: pick is too slow
# score: 9
"""Picks each row's score in a Python loop and stacks them (correct, and gradients flow, but slow)."""

import torch


def pick(logits, targets):
    return torch.stack([logits[i, targets[i]] for i in range(len(targets))])


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
