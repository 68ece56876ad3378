# expect: scatter_ overwrites when a label repeats
"""Uses scatter_ for the class sums: each repeated label overwrites the previous value."""

import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).scatter_(0, labels, values)
