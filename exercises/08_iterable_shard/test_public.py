"""Public checks for iterable_shard: run them with `dlgrade check iterable_shard.py`."""

import pytest
import torch  # the probe's global too (the runner gives it torch)

from grader.checks import probe


@probe
def stream(mod, start, end, num_workers):
    import itertools

    ds = mod.RangeStream(start, end)
    if not isinstance(ds, torch.utils.data.IterableDataset):
        return "a map-style Dataset" if isinstance(ds, torch.utils.data.Dataset) else "not a Dataset at all"
    loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=num_workers)
    return [int(x) for x in itertools.islice(loader, 4 * abs(end - start) + 10)]


def not_iterable(got):
    assert not isinstance(got, str), f"RangeStream must subclass torch.utils.data.IterableDataset (yours is {got})"


@pytest.mark.points(1)
def test_single_process(student):
    """A DataLoader without workers yields start..end-1 in order"""
    got = student.probe(stream, 3, 9, 0)
    not_iterable(got)
    assert got == [3, 4, 5, 6, 7, 8], f"RangeStream(3, 9) with num_workers=0: expected [3, 4, 5, 6, 7, 8], got {got}"


@pytest.mark.points(1)
@pytest.mark.hint("Each DataLoader worker runs its own copy of __iter__. Ask torch.utils.data.get_worker_info() "
                  "which worker is running and how many there are, and yield only that worker's share.")
def test_two_workers(student):
    """Two DataLoader workers yield every number exactly once"""
    got = student.probe(stream, 0, 10, 2)
    not_iterable(got)
    assert sorted(got) == list(range(10)), (
        f"RangeStream(0, 10) with num_workers=2 must yield 0..9 once each (in any order), got {sorted(got)} "
        "(sorted)")
