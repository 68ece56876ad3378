# expect: one_hot must be float32 (torch.float), got torch.int64
"""Builds one_hot with zeros_like-style dtype taken from the labels (int64)."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes, dtype=labels.dtype)
    return out.scatter_(1, labels.unsqueeze(1), 1)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_add_(0, labels, values)
