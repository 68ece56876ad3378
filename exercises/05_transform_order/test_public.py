"""Public checks for transform_order: run them with `dlgrade check transform_order.py`."""

import pytest
import torch

from grader.checks import probe

PIXELS = [0, 51, 102, 153, 204, 255] * 8  # a 4x4 RGB image, row by row, R G B per pixel


@probe
def transform_small_image(mod, pixels):
    import PIL.Image

    image = PIL.Image.frombytes("RGB", (4, 4), bytes(pixels))
    return mod.build_transform([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])(image)


@pytest.mark.points(1)
@pytest.mark.hint("Order matters in transforms.Compose: Normalize works on tensors, so the image must first become a "
                  "float tensor in [0, 1] (ToTensor), and Resize, when asked for, comes before both.")
def test_transform_small_image(student):
    """build_transform turns a 4x4 RGB image into a normalized float32 [3, 4, 4] tensor"""
    out = student.probe(transform_small_image, PIXELS)
    assert isinstance(out, torch.Tensor), f"the transform must return a torch.Tensor, got {type(out).__name__}"
    assert out.dtype == torch.float32, f"the tensor must be float32, got {out.dtype}"
    assert list(out.shape) == [3, 4, 4], f"expected shape [3, 4, 4] (channels first), got {list(out.shape)}"
    want = (torch.tensor(PIXELS, dtype=torch.float32).reshape(4, 4, 3).permute(2, 0, 1) / 255 - 0.5) / 0.5
    assert torch.allclose(out, want, atol=1e-5), (
        f"with mean = std = 0.5 the values must be pixel / 255 * 2 - 1 (in [-1, 1]); yours range from "
        f"{out.min().item():.3f} to {out.max().item():.3f}")


@pytest.mark.points(1)
def test_denormalize_small_image(student):
    """denormalize inverts Normalize on a [3, 2, 2] tensor"""
    t = torch.tensor([[[0.0, 1.0], [-1.0, 2.0]]] * 3)
    out = student.call("denormalize", t, [0.5, 0.4, 0.3], [0.2, 0.25, 0.5])
    assert isinstance(out, torch.Tensor), f"denormalize must return a torch.Tensor, got {type(out).__name__}"
    assert list(out.shape) == [3, 2, 2], f"the shape must stay [3, 2, 2], got {list(out.shape)}"
    want = t * torch.tensor([0.2, 0.25, 0.5]).view(3, 1, 1) + torch.tensor([0.5, 0.4, 0.3]).view(3, 1, 1)
    assert torch.allclose(out.float(), want, atol=1e-6), (
        "denormalize must compute t * std + mean per channel (channel c: t[c] * std[c] + mean[c])")
