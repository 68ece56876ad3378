"""Exercise 6: gather and scatter.  -- Priya"""

import torch


def pick(logits, targets):
    return torch.gather(logits, dim=1, index=targets.view(-1, 1)).view(-1)


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    out.scatter_(1, labels.view(-1, 1), 1.0)
    return out


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).index_add_(0, labels, values)
