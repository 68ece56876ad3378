"""Hidden checks: iterable_shard (8 points; the public checks hold 2 more)."""

from collections import Counter

import pytest
import torch  # the probes' global too (the runner gives them torch)

from grader.checks import probe


@probe
def streams(mod, runs):
    import itertools
    import warnings

    out = []
    with warnings.catch_warnings():  # "more workers than this machine suggests": the grader's choice, not yours
        warnings.simplefilter("ignore", UserWarning)
        for start, end, num_workers in runs:
            ds = mod.RangeStream(start, end)
            if not isinstance(ds, torch.utils.data.IterableDataset):
                return "not an IterableDataset"
            loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=num_workers)
            out.append([int(x) for x in itertools.islice(loader, 4 * abs(end - start) + 10)])
    return out


@probe
def built_as_worker(mod, start, end, worker, workers):
    """Build a RangeStream while get_worker_info() says `worker` of `workers`, iterate it in the main process."""
    import itertools

    import torch.utils.data._utils.worker as w

    cap = 4 * abs(end - start) + 10
    saved = w._worker_info
    try:
        w._worker_info = w.WorkerInfo(id=worker, num_workers=workers, seed=0, dataset=None)
        ds = mod.RangeStream(start, end)
    finally:
        w._worker_info = saved
    as_worker = [int(x) for x in itertools.islice(ds, cap)]
    return as_worker, [int(x) for x in itertools.islice(mod.RangeStream(start, end), cap)]


@probe
def iterated_as_worker(mod, start, end, worker, workers):
    """Build a RangeStream in the main process, iterate it while get_worker_info() says `worker` of `workers`."""
    import itertools

    import torch.utils.data._utils.worker as w

    ds = mod.RangeStream(start, end)
    saved = w._worker_info
    try:
        w._worker_info = w.WorkerInfo(id=worker, num_workers=workers, seed=0, dataset=ds)
        return [int(x) for x in itertools.islice(ds, 4 * abs(end - start) + 10)]
    finally:
        w._worker_info = saved


@probe
def two_epochs(mod, start, end):
    import itertools

    ds = mod.RangeStream(start, end)
    if not isinstance(ds, torch.utils.data.IterableDataset):
        return "not an IterableDataset"
    loader = torch.utils.data.DataLoader(ds, batch_size=None)
    cap = 4 * abs(end - start) + 10
    return [[int(x) for x in itertools.islice(loader, cap)] for _ in range(2)]


@probe
def kind(mod):
    ds = mod.RangeStream(0, 3)
    return {"iterable": isinstance(ds, torch.utils.data.IterableDataset),
            "dataset": isinstance(ds, torch.utils.data.Dataset), "type": type(ds).__name__}


INIT = ("you call get_worker_info() in __init__, but __init__ runs once, in the main process, where it returns "
        "None; each worker only gets a copy of that object, so every worker yields the whole stream. Call "
        "torch.utils.data.get_worker_info() in __iter__, which runs inside each worker")


def shards_in_init(student):
    """Whether RangeStream fixes its shard when it is built rather than when it is iterated."""
    as_worker, in_main = student.probe(built_as_worker, 0, 12, 1, 2)
    return len(as_worker) < len(in_main) and set(as_worker) < set(in_main)


def diagnose(student, start, end, num_workers, got):
    """Name the mistake when ``got`` (what the DataLoader yielded) is not [start, end) once each."""
    want = list(range(start, end))
    if sorted(got) == want:
        return
    counts = Counter(got)
    if num_workers > 1 and want and set(counts) == set(want) and set(counts.values()) == {num_workers}:
        if shards_in_init(student):
            raise AssertionError(f"with num_workers={num_workers} each number came {num_workers} times: {INIT}")
        raise AssertionError(f"every worker yields the whole stream: with num_workers={num_workers} each number came "
                             f"{num_workers} times. Each worker process iterates its own copy of the dataset, so "
                             "__iter__ must ask torch.utils.data.get_worker_info() which worker it runs in "
                             "(info.id of info.num_workers) and yield only that worker's share")
    outside = sorted(x for x in counts if not start <= x < end)
    if outside and min(outside) >= end:
        raise AssertionError(f"with num_workers={num_workers} RangeStream(start, end) yields `end` (or numbers past "
                             "it): the range is [start, end), like range(start, end), so every worker's shard, the "
                             "last one too, must stop before end")
    if outside:
        raise AssertionError(f"with num_workers={num_workers} RangeStream(start, end) yields numbers outside "
                             "[start, end)")
    repeated = [x for x, c in counts.items() if c > 1]
    if repeated:
        raise AssertionError(f"with num_workers={num_workers} some numbers came more than once: the workers' shards "
                             "overlap; each number must belong to exactly one worker")
    raise AssertionError(f"with num_workers={num_workers} some numbers of the range never came: the workers' shards "
                         "do not cover all of [start, end). Giving each worker (end - start) // num_workers numbers "
                         "drops the remainder when the length is not a multiple of num_workers; let the last worker "
                         "run up to end, or stride: range(start + info.id, end, info.num_workers)")


NOT_ITERABLE = ("RangeStream must subclass torch.utils.data.IterableDataset: a DataLoader treats any other object "
                "as a map-style dataset, which it indexes with ds[i] after asking len(ds), and never calls your "
                "__iter__")


def run_streams(student, runs):
    got = student.probe(streams, runs)
    assert got != "not an IterableDataset", NOT_ITERABLE
    return got


def check_runs(student, runs):
    for (start, end, num_workers), got in zip(runs, run_streams(student, runs), strict=True):
        diagnose(student, start, end, num_workers, got)


@pytest.mark.points(1)
def test_is_iterable_dataset(student):
    """RangeStream is an IterableDataset"""
    got = student.probe(kind)
    if not got["iterable"]:
        yours = "a map-style Dataset" if got["dataset"] else "not a Dataset at all"
        raise AssertionError(f"{NOT_ITERABLE} (yours is {yours})")


@pytest.mark.points(1)
def test_single_process_in_order(student):
    """Without workers, yields start..end-1 in order (end excluded)"""
    runs = [(-3, 4, 0), (10, 11, 0), (5, 5, 0)]
    for (start, end, _), got in zip(runs, run_streams(student, runs), strict=True):
        want = list(range(start, end))
        if got == list(range(start, end + 1)):
            raise AssertionError("`end` is included: RangeStream(start, end) is [start, end), like range(start, end)")
        if got != want and sorted(got) == want:
            raise AssertionError("with num_workers=0 the numbers must come in order, start first")
        if start == end:
            assert got == [], "RangeStream(start, start) is empty: it must yield nothing"
        assert got == want, "with num_workers=0 RangeStream(start, end) must yield start, start + 1, ..., end - 1"


@pytest.mark.points(1)
def test_every_epoch(student):
    """Can be iterated again: every epoch yields the whole range"""
    got = student.probe(two_epochs, 0, 6)
    assert got != "not an IterableDataset", NOT_ITERABLE
    first, second = got
    assert first == list(range(6)), "with num_workers=0 RangeStream(0, 6) must yield 0, 1, ..., 5"
    assert second == first, ("the second epoch over the same RangeStream differs from the first (it is empty when you "
                             "create the iterator or generator in __init__): __iter__ must start a new pass over "
                             "[start, end) every time it is called")


@pytest.mark.points(2)
def test_two_workers(student):
    """Two workers yield every number exactly once (no duplicates)"""
    check_runs(student, [(3, 16, 2)])


@pytest.mark.points(1)
def test_uneven_shards(student):
    """Three workers over a range that does not split evenly lose nothing"""
    check_runs(student, [(5, 16, 3)])


@pytest.mark.points(1)
def test_one_worker_and_more_workers_than_numbers(student):
    """One worker, and more workers than numbers, still give each number once"""
    check_runs(student, [(-2, 5, 1), (100, 102, 3)])


@pytest.mark.points(1)
def test_shards_when_iterated(student):
    """Decides its shard in __iter__ (inside the worker), not in __init__"""
    if shards_in_init(student):
        raise AssertionError(INIT)
    share = student.probe(iterated_as_worker, 0, 12, 1, 2)
    assert not set(range(12)) <= set(share), (
        "iterated inside worker 1 of 2, RangeStream yields the whole stream: __iter__ must call "
        "torch.utils.data.get_worker_info() and yield only that worker's share")
    assert share and len(set(share)) == len(share) and set(share) <= set(range(12)), (
        "iterated inside worker 1 of 2, RangeStream(start, end) must yield a share of [start, end): "
        "some numbers, each once, none outside the range")
