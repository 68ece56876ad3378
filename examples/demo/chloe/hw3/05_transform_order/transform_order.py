"""Exercise 5: torchvision transforms in the right order.

Implement ``build_transform`` and ``denormalize``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torchvision.transforms import v2


def build_transform(mean, std, size=None):
    """A transform taking a PIL image to a normalized float32 ``[C, H, W]`` tensor.

    In this order: ``Resize((size, size))`` (only when ``size`` is given), then
    conversion to a float32 tensor with values in ``[0, 1]``, then
    ``Normalize(mean, std)``. ``mean`` and ``std`` have one value per channel:
    three for an RGB image, one for a grayscale (mode ``L``) image.
    """
    raise NotImplementedError


def denormalize(t, mean, std):
    """Undo ``Normalize(mean, std)``: ``t * std + mean`` per channel.

    ``t`` is a ``[C, H, W]`` image or an ``[N, C, H, W]`` batch; the result has
    the same shape and dtype, and ``t`` itself is not modified.
    """
    raise NotImplementedError
