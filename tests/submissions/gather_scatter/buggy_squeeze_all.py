# expect: squeeze() without a dim removes every dimension of size 1
# score: 9
"""Squeezes the gathered [B, 1] column with a bare squeeze(), which also eats B when B == 1."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.view(-1, 1)).squeeze()


def one_hot(labels, num_classes):
    out = torch.zeros(labels.numel(), num_classes, dtype=torch.float32)
    out.scatter_(1, labels.view(-1, 1), 1)
    return out


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype)
    out.index_add_(0, labels, values)
    return out
