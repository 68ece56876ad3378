# expect: pick changed its argument `targets`
# score: 9
"""Reshapes targets in place with unsqueeze_ (the caller's tensor becomes [B, 1])."""

import torch


def pick(logits, targets):
    targets.unsqueeze_(1)
    return logits.gather(1, targets).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
