# HW3 ex6 - Jonas Weber
import torch


def pick(logits, targets):
    return torch.gather(logits, 1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(labels.size(0), num_classes)
    out.scatter_(1, labels.unsqueeze(1), 1.0)
    return out


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype)
    out.index_add_(0, labels, values)
    return out
