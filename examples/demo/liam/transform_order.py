import torch
from torchvision import transforms

# liam o'brien -- hw3


def build_transform(mean, std, size=None):
    tfs = []
    if size:
        tfs.append(transforms.Resize((size, size)))
    tfs += [transforms.ToTensor(), transforms.Normalize(mean, std)]
    return transforms.Compose(tfs)


def denormalize(t, mean, std):
    out = t.clone()
    for c in range(len(mean)):
        out[c] = out[c] * std[c] + mean[c]
    return out
