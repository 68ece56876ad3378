"""Exercise 8: an IterableDataset that shards itself across DataLoader workers.

Implement ``RangeStream``; see README.md in this folder.
"""

from __future__ import annotations

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start = int(start)
        self.end = int(end)

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        return iter(range(self.start + info.id, self.end, info.num_workers))
