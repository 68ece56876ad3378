"""Exercise 8: an IterableDataset that shards itself across DataLoader workers."""

from __future__ import annotations

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self):
        worker_info = get_worker_info()
        if worker_info is None:
            return iter(range(self.start, self.end))
        return iter(range(self.start + worker_info.id, self.end, worker_info.num_workers))
