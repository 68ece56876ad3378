# expect: full marks
"""Advanced indexing with a row range: logits[rows, targets] and an index_put_ of ones."""

import torch


def pick(logits, targets):
    rows = torch.arange(targets.shape[0])
    return logits[rows, targets]


def one_hot(labels, num_classes):
    out = torch.zeros(labels.shape[0], num_classes)
    out[torch.arange(labels.shape[0]), labels] = 1.0
    return out


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype)
    out.index_put_((labels,), values, accumulate=True)
    return out
