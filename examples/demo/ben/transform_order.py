# Ben Carter - homework 3
import torch
from torchvision import transforms


def build_transform(mean, std, size=None):
    steps = [transforms.Lambda(lambda img: img.convert("RGB"))]   # some images are grayscale
    if size is not None:
        steps.append(transforms.Resize((size, size)))
    steps += [transforms.ToTensor(), transforms.Normalize(mean, std)]
    return transforms.Compose(steps)


def denormalize(t, mean, std):
    return t * torch.tensor(std).view(-1, 1, 1) + torch.tensor(mean).view(-1, 1, 1)
