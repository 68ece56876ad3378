# expect: full marks
"""Classic torchvision.transforms (v1): Resize, ToTensor, Normalize; denormalize with [:, None, None]."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    pipeline = []
    if size:
        pipeline.append(T.Resize((size, size)))
    pipeline.append(T.ToTensor())
    pipeline.append(T.Normalize(mean=mean, std=std))
    return T.Compose(pipeline)


def denormalize(t, mean, std):
    mean = torch.tensor(mean, dtype=t.dtype)[:, None, None]
    std = torch.tensor(std, dtype=t.dtype)[:, None, None]
    return t.mul(std).add(mean)
