# expect: the transform must return float32, got torch.float64
# score: 8
"""Converts to float64 "for precision"."""

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    steps = [v2.Resize((size, size))] if size is not None else []
    steps += [v2.ToImage(), v2.ToDtype(torch.float64, scale=True), v2.Normalize(mean, std)]
    return v2.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

