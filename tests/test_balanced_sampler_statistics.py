"""The statistical class-balance check of balanced_sampler decides right for (almost) every seed.

The hidden check draws with one fixed seed; this test runs the same decision,
:func:`balance_problem` of ``grader/hidden/test_balanced_sampler.py``, on 200
seeds: it must never fail the reference solution (nor the correct variants)
and must always fail a sampler whose weights are 1/N. The modules are imported
in this process, which is fine for the project's own tests (never for grading).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "submissions" / "balanced_sampler"
SEEDS = range(200)


def load(path: Path, name: str) -> ModuleType:
    """Import a file that is not in a package (grader/hidden is not one)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checks(pytestconfig: pytest.Config) -> ModuleType:
    """The hidden check file as a module (its `points` marker is the judge's, so declare it here first)."""
    pytestconfig.addinivalue_line("markers", "points(n): how many points a grading check is worth")
    return load(ROOT / "grader" / "hidden" / "test_balanced_sampler.py", "_hidden_checks_balanced_sampler")


def draws(checks: ModuleType, module: ModuleType, seed: int) -> list[int]:
    generator = torch.Generator()
    generator.manual_seed(seed)
    sampler = module.make_balanced_sampler(checks.IMBALANCED, num_samples=checks.BALANCE_DRAWS, generator=generator)
    return [int(i) for i in sampler]


def test_the_hidden_checks_seed_passes_the_reference(checks: ModuleType) -> None:
    reference = load(ROOT / "solutions" / "balanced_sampler.py", "_reference_balanced_sampler")
    assert checks.balance_problem(checks.IMBALANCED, draws(checks, reference, checks.BALANCE_SEED)) is None


@pytest.mark.parametrize("path", [ROOT / "solutions" / "balanced_sampler.py", *sorted(VARIANTS.glob("correct_*.py"))],
                         ids=lambda p: p.name)
def test_a_balanced_sampler_never_fails(checks: ModuleType, path: Path) -> None:
    module = load(path, f"_balanced_{path.stem}")
    failed = [seed for seed in SEEDS
              if checks.balance_problem(checks.IMBALANCED, draws(checks, module, seed)) is not None]
    assert not failed, f"{path.name}: the balance check failed for seeds {failed}"


def test_one_over_n_weights_always_fail(checks: ModuleType) -> None:
    module = load(VARIANTS / "buggy_weights_one_over_n.py", "_balanced_one_over_n")
    assert bool((module.sample_weights(checks.IMBALANCED) == 1 / len(checks.IMBALANCED)).all())
    passed = [seed for seed in SEEDS if checks.balance_problem(checks.IMBALANCED, draws(checks, module, seed)) is None]
    assert not passed, f"1/N weights passed the balance check for seeds {passed}"
    message = checks.balance_problem(checks.IMBALANCED, draws(checks, module, 0))
    assert "natural proportions" in message and "1/N" in message


def test_the_tolerance_is_six_binomial_sigmas(checks: ModuleType) -> None:
    """A count just inside 6 sigma passes, just outside fails (K = 3 classes, p = 1/3)."""
    labels = [0, 1, 2]
    total = 9000
    sigma = (total * (1 / 3) * (2 / 3)) ** 0.5
    inside = int(3000 + 6 * sigma) - 1
    outside = int(3000 + 6 * sigma) + 2
    for count, ok in ((inside, True), (outside, False)):
        rest = total - count
        picks = [0] * count + [1] * (rest // 2) + [2] * (rest - rest // 2)
        assert (checks.balance_problem(labels, picks) is None) == ok, count
