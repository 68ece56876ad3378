# expect: the last one too, must stop before end
"""Rounds the chunk size up but forgets to stop the last chunk at end."""

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
        return iter(range(lo, lo + size))
