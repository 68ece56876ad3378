# expect: you resize the float tensor after the conversion
# score: 9
"""Converts first, then resizes the float tensor (different interpolation from resizing the PIL image)."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = [T.ToTensor()]
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps.append(T.Normalize(mean, std))
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

