# expect: the workers' shards overlap
"""Gives each worker an inclusive chunk [lo, hi], so neighbouring chunks share a number."""

import math

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        size = math.ceil((self.end - self.start) / info.num_workers)
        lo = self.start + info.id * size
        hi = min(lo + size, self.end - 1)
        return iter(range(lo, hi + 1))
