"""Public checks for balanced_sampler: run them with `dlgrade check balanced_sampler.py`."""

import pytest
import torch

from grader.checks import probe


@pytest.mark.points(1)
@pytest.mark.hint("A sample's weight depends only on how many samples share its label: count each label once "
                  "(torch.bincount), then look the counts up by label. Mind the dtype the statement asks for.")
def test_weights_of_three_labels(student):
    """sample_weights([0, 0, 1]) is [0.5, 0.5, 1.0] in float64"""
    weights = student.call("sample_weights", [0, 0, 1])
    assert isinstance(weights, torch.Tensor), f"sample_weights must return a torch.Tensor, got {type(weights).__name__}"
    assert weights.dtype == torch.float64, f"the weights must be float64 (torch.double), got {weights.dtype}"
    assert weights.tolist() == [0.5, 0.5, 1.0], f"expected [0.5, 0.5, 1.0], got {weights.tolist()}"


@probe
def sampler_summary(mod):
    sampler = mod.make_balanced_sampler([0, 0, 0, 1])
    if not isinstance(sampler, torch.utils.data.WeightedRandomSampler):
        return type(sampler).__name__
    return [int(i) for i in sampler]


@pytest.mark.points(1)
def test_sampler_of_four_labels(student):
    """make_balanced_sampler([0, 0, 0, 1]) is a WeightedRandomSampler drawing 4 indices"""
    draws = student.probe(sampler_summary)
    assert not isinstance(draws, str), f"make_balanced_sampler must return a WeightedRandomSampler, got {draws}"
    assert len(draws) == 4, f"with 4 labels the sampler must draw 4 indices per epoch, got {len(draws)}"
    assert all(0 <= i < 4 for i in draws), f"the sampler must draw sample indices in 0..3, got {draws}"
