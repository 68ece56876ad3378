# Noah Fischer, HW 3, exercise 6
import torch


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    out = torch.zeros(labels.shape[0], num_classes)
    return out.scatter_(1, labels.unsqueeze(1), 1.0)


def class_sums(values, labels, num_classes):
    out = torch.zeros(num_classes, dtype=values.dtype
    return out.scatter_add_(0, labels, values)
