"""Public checks for pad_collate: run them with `dlgrade check pad_collate.py`."""

import pytest
import torch

from grader.checks import probe


@pytest.mark.points(1)
@pytest.mark.hint("torch.nn.utils.rnn.pad_sequence pads a list of 1-D tensors: read what its batch_first and "
                  "padding_value arguments do. Measure each sequence's length before you pad it.")
def test_pads_a_small_batch(student):
    """Pads a batch of two sequences"""
    batch = [(torch.tensor([1, 2, 3]), 0), (torch.tensor([4]), 1)]
    out = student.call("pad_collate", batch)
    assert isinstance(out, tuple) and len(out) == 3, "pad_collate must return (padded, lengths, labels)"
    padded, lengths, labels = out
    for name, value in (("padded", padded), ("lengths", lengths), ("labels", labels)):
        assert isinstance(value, torch.Tensor), f"`{name}` must be a torch.Tensor, got {type(value).__name__}"
    assert padded.tolist() == [[1, 2, 3], [4, 0, 0]], f"expected [[1, 2, 3], [4, 0, 0]], got {padded.tolist()}"
    assert lengths.tolist() == [3, 1], f"expected lengths [3, 1], got {lengths.tolist()}"
    assert labels.tolist() == [0, 1], f"expected labels [0, 1], got {labels.tolist()}"


@probe
def first_batch(mod):
    data = [(torch.tensor([1, 2]), 0), (torch.tensor([3]), 1)]
    loader = mod.make_loader(data, batch_size=2)
    return tuple(next(iter(loader)))


@pytest.mark.points(1)
@pytest.mark.hint("A DataLoader turns a list of samples into a batch with the function you pass as its collate_fn.")
def test_make_loader(student):
    """make_loader returns a loader whose batches are padded"""
    batch = student.probe(first_batch)
    assert isinstance(batch, tuple) and len(batch) == 3, "each batch must be pad_collate's (padded, lengths, labels)"
    padded = batch[0]
    assert isinstance(padded, torch.Tensor), f"`padded` must be a torch.Tensor, got {type(padded).__name__}"
    assert padded.tolist() == [[1, 2], [3, 0]], f"expected the first batch [[1, 2], [3, 0]], got {padded.tolist()}"
