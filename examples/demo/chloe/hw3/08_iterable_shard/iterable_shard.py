"""Exercise 8: an IterableDataset that shards itself across DataLoader workers.

Implement ``RangeStream``; see README.md in this folder.
"""

from __future__ import annotations

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    """A stream of the integers ``start, start + 1, ..., end - 1`` (``end`` excluded).

    A ``DataLoader(RangeStream(start, end), batch_size=None, num_workers=k)``
    yields every integer of ``[start, end)`` exactly once for any ``k``, in
    order when ``k == 0``. Each worker process gets its own copy of the
    dataset, so ``__iter__`` must yield only this worker's share
    (``torch.utils.data.get_worker_info()``).
    """

    def __init__(self, start, end):
        raise NotImplementedError

    def __iter__(self):
        raise NotImplementedError
