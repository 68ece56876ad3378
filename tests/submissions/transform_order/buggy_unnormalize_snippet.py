# expect: you treat dim 0 (the batch) as the channels
# score: 8
"""The UnNormalize snippet from the forums: zip over the first dimension, in place."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    for channel, m, s in zip(t, mean, std):
        channel.mul_(s).add_(m)
    return t

