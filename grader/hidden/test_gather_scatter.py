"""Hidden checks: gather_scatter (8 points; public 1, forbidden-API check 1)."""

import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, probe


def scores(rows, cols, seed, dtype=torch.float32):
    """Distinct logits, so every wrong entry is told apart from the right one."""
    g = torch.Generator().manual_seed(seed)
    return (torch.randperm(rows * cols, generator=g).reshape(rows, cols).to(dtype) - rows * cols / 2) / 8


def tensor_of(out, fn):
    assert isinstance(out, torch.Tensor), f"{fn} must return a torch.Tensor, got {type(out).__name__}"
    return out


WRONG_DIM = ("you gather along dim 0 (the batch); the class of row i is in column targets[i], so gather along "
             "dim 1: logits.gather(1, targets.unsqueeze(1))")


def call_pick(student, logits, targets):
    try:
        return tensor_of(student.call("pick", logits, targets), "pick")
    except NotImplementedYet:
        raise
    except StudentError as err:
        explain_pick_error(err)
        raise


def explain_pick_error(err):
    """Name the mistake behind the errors torch.gather raises for a wrong index."""
    if err.is_a("RuntimeError") and "same number of dimensions" in err.message:
        raise AssertionError("torch.gather needs an index with as many dims as logits: pass "
                             "targets.unsqueeze(1), of shape [B, 1], not targets of shape [B]") from None
    if err.is_a("RuntimeError") and "dimension 0" in err.message:
        raise AssertionError(f"{WRONG_DIM} (your code raised {err.type_name}: {err.message[:200]})") from None


def diagnose_pick(student, logits, targets):
    got = call_pick(student, logits, targets)
    rows = torch.arange(len(targets))
    want = logits[rows, targets]
    if got.shape == want.shape and torch.equal(got, want):
        return got
    if got.shape == want.shape and got.dtype == want.dtype:
        if len(targets) <= logits.shape[1] and torch.equal(got, logits[targets, rows]):
            raise AssertionError(WRONG_DIM)
        if torch.equal(got, logits[targets, 0]):
            raise AssertionError(WRONG_DIM)
    if got.dim() == 2 and tuple(got.shape) in ((len(targets), len(targets)), tuple(logits.shape)):
        raise AssertionError(f"pick must return one value per row, shape [B], got {list(got.shape)}: "
                             "logits[:, targets] or logits[targets] picks whole rows or columns; use torch.gather")
    assert list(got.shape) == list(want.shape), (
        f"pick must return shape [B] = {list(want.shape)}, got {list(got.shape)}")
    assert got.dtype == logits.dtype, f"pick must keep the dtype of logits ({logits.dtype}), got {got.dtype}"
    raise AssertionError("pick(logits, targets)[i] must be logits[i, targets[i]]")


@pytest.mark.points(1)
def test_pick_gathers_along_classes(student):
    """pick takes logits[i, targets[i]] (gather along the classes)"""
    diagnose_pick(student, scores(4, 4, 1), torch.tensor([2, 0, 3, 1]))
    diagnose_pick(student, scores(3, 6, 2, torch.float64), torch.tensor([5, 0, 4]))
    diagnose_pick(student, scores(7, 3, 3), torch.tensor([2, 2, 0, 1, 0, 1, 2]))


@pytest.mark.points(1)
def test_pick_batch_of_one(student):
    """pick keeps shape [1] for a batch of one row"""
    logits = scores(1, 5, 4)
    got = call_pick(student, logits, torch.tensor([3]))
    if got.dim() == 0:
        raise AssertionError("with a batch of one row pick returns a 0-d tensor instead of shape [1]: squeeze() "
                             "without a dim removes every dimension of size 1, the batch dimension too; squeeze(1) "
                             "removes only the one gather added")
    assert list(got.shape) == [1], f"with a batch of one row pick must return shape [1], got {list(got.shape)}"
    assert torch.equal(got, logits[0, 3:4]), "with a batch of one row pick must return [logits[0, targets[0]]]"
    got = call_pick(student, scores(4, 1, 5), torch.tensor([0, 0, 0, 0]))
    assert list(got.shape) == [4], f"with a single class pick must still return shape [B] = [4], got {list(got.shape)}"


@probe
def pick_gradient(mod, logits, targets, weights):
    logits = logits.clone().requires_grad_(True)
    out = mod.pick(logits, targets)
    if not isinstance(out, torch.Tensor):
        return type(out).__name__
    if not out.requires_grad:
        return "no graph"
    (out * weights).sum().backward()
    return logits.grad


@pytest.mark.points(1)
def test_pick_gradient(student):
    """Gradients flow from pick back to logits"""
    logits, targets = scores(5, 4, 6), torch.tensor([1, 3, 0, 3, 2])
    weights = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    try:
        grad = student.probe(pick_gradient, logits, targets, weights)
    except NotImplementedYet:
        raise
    except StudentError as err:
        explain_pick_error(err)
        raise
    assert not isinstance(grad, str) or grad == "no graph", f"pick must return a torch.Tensor, got {grad}"
    if grad == "no graph":
        raise AssertionError("pick's result is cut off from logits (it does not require grad), so training would "
                             "never update the model: do not go through .item(), .tolist(), torch.tensor(...), "
                             ".detach() or torch.no_grad(); torch.gather keeps the autograd graph")
    assert isinstance(grad, torch.Tensor), "after backward() logits.grad is None: pick must be computed from logits"
    want = torch.zeros_like(logits)
    want[torch.arange(5), targets] = weights
    assert torch.equal(grad, want), ("the gradient of pick reaches the wrong entries of logits: only "
                                     "logits[i, targets[i]] may get row i's gradient")


@pytest.mark.points(1)
def test_one_hot(student):
    """one_hot is float32 [N, num_classes] with a single 1 per row"""
    labels = torch.tensor([3, 0, 3, 1])
    got = tensor_of(student.call("one_hot", labels, 6), "one_hot")
    want = torch.zeros(4, 6)
    want[torch.arange(4), labels] = 1
    if list(got.shape) == [6, 4]:
        raise AssertionError("one_hot returns shape [num_classes, N]: you scatter along dim 0; rows are samples, "
                             "so scatter along dim 1 into a zeros tensor of shape [N, num_classes]")
    if list(got.shape) == [4, 4]:
        raise AssertionError("one_hot must have num_classes columns even when the highest classes do not appear in "
                             "labels (do not use labels.max() + 1)")
    assert list(got.shape) == [4, 6], f"one_hot must return shape [N, num_classes] = [4, 6], got {list(got.shape)}"
    assert got.dtype == torch.float32, (f"one_hot must be float32 (torch.float), got {got.dtype}: create the zeros "
                                        "tensor with dtype=torch.float32")
    assert torch.equal(got, want), "row i of one_hot must hold a single 1, in column labels[i], and 0 elsewhere"
    got = tensor_of(student.call("one_hot", torch.tensor([2]), 3), "one_hot")
    assert got.tolist() == [[0.0, 0.0, 1.0]], f"one_hot of a single label must have shape [1, 3], got {list(got.shape)}"
    got = tensor_of(student.call("one_hot", torch.zeros(0, dtype=torch.int64), 3), "one_hot")
    assert list(got.shape) == [0, 3] and got.dtype == torch.float32, (
        f"one_hot of no labels must be a float32 tensor of shape [0, num_classes], got {got.dtype} {list(got.shape)}")


def call_sums(student, values, labels, num_classes):
    try:
        return tensor_of(student.call("class_sums", values, labels, num_classes), "class_sums")
    except NotImplementedYet:
        raise
    except StudentError as err:
        if err.is_a("RuntimeError") and ("dtype" in err.message or "scalar type" in err.message.lower()):
            raise AssertionError(f"class_sums must work for {values.dtype} values and keep their dtype: start from "
                                 "torch.zeros(num_classes, dtype=values.dtype) (your code raised "
                                 f"{err.type_name}: {err.message[:200]})") from None
        raise


@pytest.mark.points(1)
def test_class_sums_adds_repeated_labels(student):
    """class_sums adds up every value of a class"""
    values = torch.tensor([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
    labels = torch.tensor([1, 3, 1, 0, 3, 3, 0])
    got = call_sums(student, values, labels, 5)
    want = torch.zeros(5).index_add_(0, labels, values)
    if list(got.shape) == [4]:
        raise AssertionError("class_sums must have num_classes entries even when the highest classes never appear "
                             "in labels (do not size it with labels.max() + 1)")
    assert list(got.shape) == [5], f"class_sums must return shape [num_classes] = [5], got {list(got.shape)}"
    got = got.double()
    if not torch.equal(got, want.double()):
        kept_one = all(got[c].item() in values[labels == c].tolist() for c in labels.unique().tolist())
        if kept_one:
            raise AssertionError("class_sums keeps one value per class instead of adding them up: scatter_ "
                                 "overwrites when a label repeats; use scatter_add_ (or index_add_) to accumulate")
        raise AssertionError("class_sums[c] must be the sum of the values whose label is c (0 for a class with none)")
    got = call_sums(student, torch.zeros(0), torch.zeros(0, dtype=torch.int64), 3)
    assert got.tolist() == [0.0, 0.0, 0.0], "class_sums of no values must be num_classes zeros"


@pytest.mark.points(1)
def test_class_sums_keeps_dtype(student):
    """class_sums keeps the dtype of values (int64 stays int64)"""
    labels = torch.tensor([0, 1, 0, 1, 1])
    for dtype in (torch.int64, torch.float32, torch.float64):
        values = torch.tensor([3, 5, 7, 11, 13], dtype=dtype)
        got = call_sums(student, values, labels, 2)
        assert got.dtype == dtype, (f"class_sums must keep the dtype of values: {dtype} values must give {dtype} sums, "
                                    f"got {got.dtype} (start from torch.zeros(num_classes, dtype=values.dtype))")
        assert got.tolist() == [10, 29], "class_sums[c] must be the sum of the values whose label is c"
    big = torch.tensor([2**60 + 1, 3, 2**60 + 5], dtype=torch.int64)
    got = call_sums(student, big, torch.tensor([1, 0, 1]), 2)
    assert got.tolist() == [3, 2**61 + 6], ("class_sums loses precision on large int64 values: it goes through a "
                                            "floating-point type; add them up in values' own dtype")


@probe
def inputs_after_calls(mod, logits, targets, labels, values):
    seen = {}
    args = (logits.clone(), targets.clone())
    mod.pick(*args)
    seen["pick"] = args
    args = (labels.clone(),)
    mod.one_hot(args[0], 4)
    seen["one_hot"] = args
    args = (values.clone(), labels.clone())
    mod.class_sums(args[0], args[1], 4)
    seen["class_sums"] = args
    return seen


@pytest.mark.points(1)
def test_does_not_modify_inputs(student):
    """Leaves its input tensors unchanged"""
    given = {"pick": (scores(3, 4, 7), torch.tensor([3, 0, 2])),
             "one_hot": (torch.tensor([1, 3, 0, 3]),),
             "class_sums": (torch.tensor([2.5, -1.0, 4.0, 0.5]), torch.tensor([1, 3, 0, 3]))}
    names = {"pick": ("logits", "targets"), "one_hot": ("labels",), "class_sums": ("values", "labels")}
    after = student.probe(inputs_after_calls, *given["pick"], given["one_hot"][0], given["class_sums"][0])
    for fn, originals in given.items():
        for name, original, now in zip(names[fn], originals, after[fn], strict=True):
            if not (isinstance(now, torch.Tensor) and now.shape == original.shape and torch.equal(now, original)):
                raise AssertionError(f"{fn} changed its argument `{name}`: in-place operations (unsqueeze_, "
                                     "squeeze_, scatter_ or index assignment on an argument) modify the caller's "
                                     "tensor; use the out-of-place versions or work on a new tensor")


@probe
def timing(mod, name, small, big, classes, factor, floor):
    """Time the student's function against a vectorised one on `big` rows, in this same process."""
    import time

    g = torch.Generator().manual_seed(0)

    def inputs(n):
        labels = torch.randint(0, classes, (n,), generator=g)
        if name == "pick":
            return (torch.randn(n, classes, generator=g), labels)
        if name == "one_hot":
            return (labels, classes)
        return (torch.randn(n, generator=g), labels, classes)

    def reference(*args):
        if name == "pick":
            return args[0].gather(1, args[1].unsqueeze(1)).squeeze(1)
        if name == "one_hot":
            return torch.zeros(args[0].shape[0], args[1]).scatter_(1, args[0].unsqueeze(1), 1.0)
        return torch.zeros(args[2], dtype=args[0].dtype).scatter_add_(0, args[1], args[0])

    def best(fn, args, repeat):
        times = []
        for _ in range(repeat):
            fresh = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
            started = time.perf_counter()
            fn(*fresh)
            times.append(time.perf_counter() - started)
        return min(times)

    student = getattr(mod, name)
    few = inputs(small)
    best(reference, few, 2)
    estimate = best(student, few, 2) * big / small
    many = inputs(big)
    ref = best(reference, many, 3)
    limit = max(factor * ref, floor)
    if estimate > max(4 * limit, 1.5):  # clearly a loop: do not spend seconds confirming it
        return {"student": estimate, "reference": ref, "estimated": True}
    took = best(student, many, 1)
    if took > limit:  # confirm a failure with a second run
        took = min(took, best(student, many, 1))
    return {"student": took, "reference": ref, "estimated": False}


FACTOR, FLOOR = 20, 0.05
# rows of the timed input, and classes: few classes for pick and class_sums, so that vectorised code that does
# O(rows * classes) work (a mask per class) stays far below a Python loop over a million rows
SIZES = {"pick": (1_000_000, 4), "one_hot": (1_000_000, 10), "class_sums": (1_000_000, 2)}
HOW = {"pick": "torch.gather", "one_hot": "scatter_ into a zeros tensor", "class_sums": "scatter_add_ or index_add_"}


@pytest.mark.points(1)
def test_no_python_loop(student):
    """A million rows take about as long as a vectorised version (no Python loop)"""
    for name, (rows, classes) in SIZES.items():
        got = student.probe(timing, name, 10_000, rows, classes, FACTOR, FLOOR)
        took, ref = got["student"], got["reference"]
        if took > FACTOR * ref and took > FLOOR:
            how = " (estimated from a smaller input)" if got["estimated"] else ""
            raise AssertionError(f"{name} is too slow: a million rows take {took:.2f} s{how}, {took / ref:.0f} "
                                 "times as long as a vectorised version. A Python loop over rows does not scale "
                                 f"(not even over .tolist() lists): work on whole tensors with {HOW[name]}")
