"""Exercise 5: torchvision transforms in the right order."""

from __future__ import annotations

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(v2.Resize((size, size)))
    # PIL -> tensor uint8 -> float in [0,1] -> normalize
    steps.append(v2.PILToTensor())
    steps.append(v2.ToDtype(torch.float32, scale=True))
    steps.append(v2.Normalize(mean=mean, std=std))
    return v2.Compose(steps)


def denormalize(t, mean, std):
    m = torch.as_tensor(mean).reshape(-1, 1, 1)
    s = torch.as_tensor(std).reshape(-1, 1, 1)
    return t * s + m
