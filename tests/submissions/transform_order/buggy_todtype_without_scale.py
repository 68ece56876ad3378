# expect: without scale=True
# score: 5
"""transforms.v2 with ToDtype(torch.float32) but no scale=True: the values stay 0..255."""

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    steps = [v2.Resize((size, size))] if size is not None else []
    steps += [v2.ToImage(), v2.ToDtype(torch.float32), v2.Normalize(mean, std)]
    return v2.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

