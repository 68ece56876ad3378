"""Hidden checks: balanced_sampler (8 points; the public checks hold 2 more).

The class-balance check is statistical; its decision is :func:`balance_problem`, a plain function that
``tests/test_balanced_sampler_statistics.py`` runs against the reference over many seeds.
"""

import math
from collections import Counter

import numpy as np
import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, probe

# class sizes 6, 2, 2 and, with gaps between the labels, 4, 2, 1
LABELS = [0, 2, 0, 1, 0, 0, 2, 1, 0, 0]
GAPPY = [3, 7, 9, 3, 7, 3, 3]
# a strongly imbalanced set for the sampler: 80 / 15 / 5, shuffled so that no class is a block of indices
IMBALANCED = [int(c) for c in np.random.RandomState(5).permutation([0] * 80 + [1] * 15 + [2] * 5)]
BALANCE_DRAWS = 6000
BALANCE_SEED = 2024
SIGMAS = 6.0


def expected_weights(labels):
    sizes = Counter(labels)
    return torch.tensor([1.0 / sizes[y] for y in labels], dtype=torch.float64)


def as_double(value, what="sample_weights"):
    """The student's weights as a float64 tensor, whatever container they came in (judged elsewhere)."""
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64).reshape(-1) if value.dim() <= 1 else value.to(torch.float64)
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        return torch.from_numpy(value.astype(np.float64))
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) for v in value):
        return torch.tensor(value, dtype=torch.float64)
    raise AssertionError(f"{what} must return a torch.Tensor of weights, got {type(value).__name__}")


def close(a, b):
    return a.shape == b.shape and bool(torch.allclose(a, b, rtol=1e-6, atol=0))


def diagnose_weights(got, labels):
    """Name the classic mistake when ``got`` (float64) is not 1 / class size."""
    want = expected_weights(labels)
    n, classes = len(labels), sorted(set(labels))
    sizes = Counter(labels)
    if close(got, want):
        return
    if got.dim() != 1 or got.numel() != n:
        if got.numel() in (len(classes), max(classes) + 1):
            raise AssertionError(
                "sample_weights returns one weight per class (length K, the number of classes), but "
                "WeightedRandomSampler needs one weight per sample (length N = len(labels)): with K weights it "
                "would draw among the first K sample indices only; give each sample the weight of its class, "
                "e.g. class_weights[labels]")
        raise AssertionError(f"sample_weights must return a 1-D tensor of shape [N] = [len(labels)], one weight "
                             f"per sample; got shape {list(got.shape)}")
    if close(got, torch.full((n,), 1.0 / n, dtype=torch.float64)) or bool((got == got[0]).all()):
        raise AssertionError(
            "every sample gets the same weight (1/N): that draws each class in its natural proportion, so the "
            "minority classes stay rare; weight each sample by 1 / (size of ITS class)")
    if close(got, torch.tensor([float(sizes[y]) for y in labels], dtype=torch.float64)):
        raise AssertionError("you weight each sample by the size of its class; use the inverse, 1 / (class size), "
                             "so that samples of small classes are drawn more often")
    if close(got, torch.tensor([sizes[y] / n for y in labels], dtype=torch.float64)):
        raise AssertionError("you weight each sample by its class frequency (class size / N); use 1 / (class size)")
    ratio = got / want
    if bool(torch.isfinite(ratio).all()) and close(ratio, torch.full_like(ratio, float(ratio[0]))):
        raise AssertionError(
            "your weights are proportional to 1 / (class size) but scaled (normalised to sum to 1, or N / class "
            "size); the contract is exactly 1 / (size of the sample's class), with no normalisation")
    raise AssertionError("the weight of sample i must be 1 / (number of samples whose label equals labels[i])")


def weights_of(student, labels):
    return student.call("sample_weights", labels)


@pytest.mark.points(2)
def test_weights_are_inverse_class_sizes(student):
    """Weights are 1 / (size of the sample's class), one per sample"""
    for labels in (LABELS, GAPPY, [4, 4, 4]):
        diagnose_weights(as_double(weights_of(student, labels)), labels)


@pytest.mark.points(1)
def test_weights_dtype_and_shape(student):
    """Weights are a float64 tensor of shape [N]"""
    got = weights_of(student, LABELS)
    assert isinstance(got, torch.Tensor), (
        f"sample_weights must return a torch.Tensor, got {type(got).__name__}; wrap it with torch.as_tensor")
    assert got.dtype == torch.float64, (
        f"the weights must be float64 (torch.double), got {got.dtype}: divide in float64, e.g. "
        "1.0 / counts.double(), or build the tensor with dtype=torch.float64")
    assert list(got.shape) == [len(LABELS)], (
        f"the weights must have shape [N] = [len(labels)], one per sample; got {list(got.shape)}")


CONTAINERS = {
    "a Python list": lambda labels: list(labels),
    "a 1-D int64 tensor": lambda labels: torch.tensor(labels, dtype=torch.int64),
    "a 1-D numpy array (int64)": lambda labels: np.array(labels, dtype=np.int64),
    "a 1-D numpy array (int32)": lambda labels: np.array(labels, dtype=np.int32),
}


TENSOR_HINT = (" (counting the elements of a tensor with collections.Counter, a dict or set() treats every element as "
               "a class of its own: 0-d tensors compare and hash by identity, not by value)")


@pytest.mark.points(1)
def test_labels_as_list_tensor_or_array(student):
    """Gives the same weights for labels as a list, a tensor or a numpy array"""
    for labels in (LABELS, GAPPY):
        results = {}
        for kind, make in CONTAINERS.items():
            try:
                results[kind] = as_double(weights_of(student, make(labels)))
            except NotImplementedYet:
                raise
            except StudentError as err:
                results[kind] = err
        if isinstance(results["a Python list"], StudentError):
            err = results["a Python list"]
            raise AssertionError(f"sample_weights fails when labels is a Python list: your code raised "
                                 f"{err.type_name}: {err.message[:200]}; convert the labels first, e.g. "
                                 "torch.as_tensor(labels)")
        reference = results["a Python list"]
        for kind, got in results.items():
            hint = TENSOR_HINT if "tensor" in kind else ""
            if isinstance(got, StudentError):
                raise AssertionError(
                    f"sample_weights fails when labels is {kind} although it works for a list: your code raised "
                    f"{got.type_name}: {got.message[:200]}{hint}; convert the labels first, e.g. "
                    "torch.as_tensor(labels)")
            if not close(got, reference):
                raise AssertionError(f"with labels given as {kind} your weights differ from those for the same "
                                     f"labels as a list{hint}; convert the labels first, e.g. "
                                     "torch.as_tensor(labels) or .tolist()")


@probe
def draw(mod, labels, num_samples, seed):
    generator = None
    if seed is not None:
        generator = torch.Generator()
        generator.manual_seed(seed)
    if num_samples == "default":
        sampler = mod.make_balanced_sampler(labels, generator=generator)
    else:
        sampler = mod.make_balanced_sampler(labels, num_samples=num_samples, generator=generator)
    if not isinstance(sampler, torch.utils.data.WeightedRandomSampler):
        return {"type": type(sampler).__name__}
    return {"type": "WeightedRandomSampler", "replacement": bool(sampler.replacement), "len": len(sampler),
            "draws": [int(i) for i in sampler]}


def ask_sampler(student, fn, *args):
    """Run a sampler probe; name the classic mistakes that make WeightedRandomSampler raise."""
    try:
        return student.probe(fn, *args)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if err.is_a("RuntimeError") and "without replacement" in err.message:
            raise AssertionError(
                "your sampler draws without replacement, so it cannot draw more indices than there are samples; "
                "pass replacement=True to WeightedRandomSampler") from None
        if err.is_a("ValueError") and "num_samples" in err.message:
            raise AssertionError(
                f"WeightedRandomSampler rejected your num_samples ({err.message[:150]}): when num_samples is "
                "None, default it to len(labels) before creating the sampler") from None
        raise


def draws_of(student, labels, num_samples="default", seed=None):
    out = ask_sampler(student, draw, labels, num_samples, seed)
    assert out["type"] == "WeightedRandomSampler", (
        f"make_balanced_sampler must return a torch.utils.data.WeightedRandomSampler, got {out['type']}")
    n = len(labels)
    assert all(0 <= i < n for i in out["draws"]), (
        "the sampler draws indices outside 0..N-1 (N = len(labels)): it must draw sample indices")
    return out


@pytest.mark.points(1)
def test_draws_with_replacement(student):
    """Draws with replacement"""
    out = draws_of(student, IMBALANCED, num_samples=len(IMBALANCED), seed=3)
    draws = out["draws"]
    assert out["replacement"] and len(set(draws)) < len(draws), (
        "your sampler draws without replacement: every sample comes at most once per epoch, so the epoch is "
        "just a reordering of the data and the minority classes stay rare; pass replacement=True so that "
        "samples of small classes can be drawn again and again")


@pytest.mark.points(1)
def test_num_samples(student):
    """num_samples defaults to len(labels) and is honoured when given"""
    for labels in (IMBALANCED, LABELS, GAPPY):
        out = draws_of(student, labels, seed=1)
        assert out["len"] == len(out["draws"]) == len(labels), (
            "num_samples must default to len(labels): without num_samples, one epoch draws as many indices as "
            "there are labels; yours draws another number")
    for wanted in (7, 60):
        out = draws_of(student, IMBALANCED, num_samples=wanted, seed=1)
        assert len(out["draws"]) == wanted, (
            "you ignore `num_samples`: when it is given, the sampler must draw num_samples indices per epoch")


@probe
def generator_report(mod, labels, seed):
    def draws():
        generator = torch.Generator()
        generator.manual_seed(seed)
        return [int(i) for i in mod.make_balanced_sampler(labels, num_samples=len(labels), generator=generator)]

    torch.manual_seed(99)
    before = torch.get_rng_state()
    first = draws()
    untouched = bool(torch.equal(before, torch.get_rng_state()))
    return first, draws(), untouched


@pytest.mark.points(1)
def test_uses_the_generator(student):
    """Draws from the given generator: the same seed gives the same draws"""
    for seed in (0, 17):
        first, second, untouched = ask_sampler(student, generator_report, IMBALANCED, seed)
        assert first == second and untouched, (
            "you ignore `generator`: two samplers made with generators seeded alike drew different indices (your "
            "sampler draws from torch's global generator); pass it on: WeightedRandomSampler(..., "
            "generator=generator)")


def balance_problem(labels, draws, sigmas=SIGMAS):
    """``None`` when ``draws`` (sample indices) hit every class of ``labels`` about equally often, else why not.

    Each class count is Binomial(len(draws), 1/K) for a balanced sampler; the tolerance is ``sigmas`` standard
    deviations, so a correct sampler fails with probability below 1e-8 per class.
    """
    classes = sorted(set(labels))
    total, k = len(draws), len(classes)
    if total == 0:
        return "the sampler drew nothing"
    counts = Counter(labels[i] for i in draws)
    p = 1.0 / k
    tolerance = sigmas * math.sqrt(total * p * (1 - p))
    if all(abs(counts.get(c, 0) - total * p) <= tolerance for c in classes):
        return None
    sizes = Counter(labels)
    natural = all(abs(counts.get(c, 0) - total * sizes[c] / len(labels))
                  <= sigmas * math.sqrt(total * sizes[c] / len(labels) * (1 - sizes[c] / len(labels))) + 1e-9
                  for c in classes)
    shares = ", ".join(f"{100 * counts.get(c, 0) / total:.0f}%" for c in classes)
    if natural:
        return (f"the sampler draws the classes in their natural proportions ({shares} of the draws) instead of "
                "equally often: weights of 1/N (or any equal weights) do not rebalance anything; weight each sample "
                "by 1 / (size of its class)")
    return (f"the classes are not drawn equally often (they got {shares} of the draws, each should get about "
            f"{100 * p:.0f}%); weight each sample by 1 / (size of its class)")


@pytest.mark.points(1)
def test_classes_drawn_equally_often(student):
    """Draws every class about equally often"""
    out = draws_of(student, IMBALANCED, num_samples=BALANCE_DRAWS, seed=BALANCE_SEED)
    problem = balance_problem(IMBALANCED, out["draws"])
    assert problem is None, problem
