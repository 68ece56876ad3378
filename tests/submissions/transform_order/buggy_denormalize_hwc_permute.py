# expect: denormalize fails on a batch [N, C, H, W]
# score: 9
"""Moves channels last with permute(1, 2, 0) so that mean/std broadcast: only works for one image."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    hwc = t.permute(1, 2, 0)
    return (hwc * torch.tensor(std) + torch.tensor(mean)).permute(2, 0, 1)

