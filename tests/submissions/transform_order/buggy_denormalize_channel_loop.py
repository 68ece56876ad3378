# expect: you index the channels as t[c], but for a batch dim 0 is the batch
# score: 9
"""A loop over t[c]: right for one image, but for a batch dim 0 is the batch."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    out = t.clone()
    for c in range(len(mean)):
        out[c] = t[c] * std[c] + mean[c]
    return out

