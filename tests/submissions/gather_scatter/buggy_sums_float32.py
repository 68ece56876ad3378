# expect: class_sums must keep the dtype of values
"""Starts the sums from torch.zeros(num_classes) (float32) and casts the values to match."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes).index_add_(0, labels, values.float())
