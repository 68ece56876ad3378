# expect: denormalize must keep the dtype of its input
# score: 8
"""Builds mean and std as float64 tensors: the result is promoted to float64."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.tensor(mean, dtype=torch.float64).view(-1, 1, 1)
    std = torch.tensor(std, dtype=torch.float64).view(-1, 1, 1)
    return t * std + mean

