# expect: full marks
"""A plain function instead of Compose, built on torchvision.transforms.functional; addcmul for the inverse."""

import torch
import torchvision.transforms.functional as TF


def build_transform(mean, std, size=None):
    def transform(img):
        if size is not None:
            img = TF.resize(img, [size, size])
        x = TF.pil_to_tensor(img).to(torch.float32) / 255.0
        return TF.normalize(x, mean, std)

    return transform


def denormalize(t, mean, std):
    shape = (-1,) + (1,) * 2
    m = torch.as_tensor(mean, dtype=t.dtype).reshape(shape)
    s = torch.as_tensor(std, dtype=t.dtype).reshape(shape)
    return torch.addcmul(m, t, s)
