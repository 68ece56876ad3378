# expect: reshape them to [C, 1, 1]
# score: 6
"""Multiplies by 1-D mean/std tensors, which broadcast against the width, not the channels."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    return t * torch.tensor(std) + torch.tensor(mean)

