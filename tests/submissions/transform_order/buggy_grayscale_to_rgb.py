# expect: do not convert the image to RGB
# score: 9
"""Converts every image to RGB first, "to be safe": a grayscale image gets 3 channels."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = [T.Lambda(lambda img: img.convert("RGB"))]
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

