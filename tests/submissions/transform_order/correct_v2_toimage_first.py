# expect: full marks
"""transforms.v2 as its guide orders it: ToImage first, Resize on the uint8 tensor, then ToDtype(scale=True)."""

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    steps = [v2.ToImage()]
    if size is not None:
        steps.append(v2.Resize((size, size)))
    steps += [v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)]
    return v2.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.tensor(mean, dtype=t.dtype).unsqueeze(-1).unsqueeze(-1)
    std = torch.tensor(std, dtype=t.dtype).unsqueeze(-1).unsqueeze(-1)
    return t * std + mean
