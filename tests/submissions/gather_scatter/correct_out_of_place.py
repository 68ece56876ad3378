# expect: full marks
"""torch.gather with view(-1, 1), out-of-place scatter with a ones source, new_zeros + index_add_."""

import torch


def pick(logits, targets):
    return torch.gather(logits, 1, targets.view(-1, 1)).view(-1)


def one_hot(labels, num_classes):
    zeros = torch.zeros((labels.shape[0], num_classes), dtype=torch.float32)
    index = labels[:, None]
    return zeros.scatter(1, index, torch.ones(index.shape, dtype=torch.float32))


def class_sums(values, labels, num_classes):
    return values.new_zeros(num_classes).index_add_(0, labels, values)
