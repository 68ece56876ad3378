# Ben Carter - homework 3
import torch
import torch.nn.functional as F


def pick(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def one_hot(labels, num_classes):
    # the built-in does exactly this
    return F.one_hot(labels, num_classes).float()


def class_sums(values, labels, num_classes):
    return torch.zeros(num_classes, dtype=values.dtype).index_add_(0, labels, values)
