# expect: use Resize((size, size))
# score: 9
"""Resize(size) with one int: only the shorter side becomes size."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize(size))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

