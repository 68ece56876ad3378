"""HW3 / exercise 5 (Adrian Popescu)"""

import torch
from torchvision import transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.tensor(mean, dtype=t.dtype)
    std = torch.tensor(std, dtype=t.dtype)
    return t * std + mean
