# expect: denormalize modified the tensor it was given
# score: 9
"""Right values, but computed in place with mul_ and add_ on the input."""

import torch
import torchvision.transforms as T


def build_transform(mean, std, size=None):
    steps = []
    if size is not None:
        steps.append(T.Resize((size, size)))
    steps += [T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


def denormalize(t, mean, std):
    mean = torch.as_tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=t.dtype).view(-1, 1, 1)
    return t.mul_(std).add_(mean)

