"""Public checks for gather_scatter: run them with `dlgrade check gather_scatter.py`."""

import pytest
import torch


@pytest.mark.points(1)
def test_small_example(student):
    """pick, one_hot and class_sums on the README's example"""
    logits = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    targets = torch.tensor([1, 0])
    picked = student.call("pick", logits, targets)
    assert isinstance(picked, torch.Tensor), f"pick must return a torch.Tensor, got {type(picked).__name__}"
    assert list(picked.shape) == [2], f"pick must return shape [B] = [2], got {list(picked.shape)}"
    assert torch.allclose(picked.float(), torch.tensor([0.7, 0.5])), f"pick: expected [0.7, 0.5], got {picked.tolist()}"

    hot = student.call("one_hot", torch.tensor([2, 0, 2]), 4)
    assert isinstance(hot, torch.Tensor), f"one_hot must return a torch.Tensor, got {type(hot).__name__}"
    want = [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    assert hot.tolist() == want, f"one_hot([2, 0, 2], 4): expected {want}, got {hot.tolist()}"

    sums = student.call("class_sums", torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([0, 2, 0, 2]), 3)
    assert isinstance(sums, torch.Tensor), f"class_sums must return a torch.Tensor, got {type(sums).__name__}"
    assert sums.tolist() == [4.0, 0.0, 6.0], (
        f"class_sums([1, 2, 3, 4], [0, 2, 0, 2], 3): expected [4.0, 0.0, 6.0], got {sums.tolist()}")
