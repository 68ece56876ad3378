"""Exercise 8: an IterableDataset that shards itself across DataLoader workers."""

from __future__ import annotations

import torch
from torch.utils.data import IterableDataset


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self):
        worker = torch.utils.data.get_worker_info()
        if worker is None:
            # main process: everything, in order
            yield from range(self.start, self.end)
        else:
            # worker k takes start+k, start+k+W, ...
            yield from range(self.start + worker.id, self.end, worker.num_workers)
