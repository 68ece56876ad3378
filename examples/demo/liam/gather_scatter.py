import torch

# liam o'brien -- hw3


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze()


def one_hot(labels, num_classes):
    z = torch.zeros(len(labels), num_classes)
    return z.scatter_(1, labels.unsqueeze(1), 1.)


def class_sums(values, labels, num_classes):
    s = torch.zeros(num_classes, dtype=values.dtype)
    return s.scatter_add_(0, labels, values)
