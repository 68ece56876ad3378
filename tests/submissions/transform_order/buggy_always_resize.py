# expect: without `size` the transform must not resize
# score: 5
"""Always adds a Resize step, even when size is None."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    return T.Compose([T.Resize((size, size)), T.ToTensor(), T.Normalize(mean, std)])


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t * std + mean

