# expect: you apply Normalize before ToTensor
# score: 4
"""Normalizes first, then converts: Normalize receives a PIL image."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.Normalize(mean, std), T.ToTensor()]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

