# expect: you call get_worker_info() in __init__
"""Works out its shard once, in __init__ (which runs in the main process, where there is no worker info)."""

import torch
from torch.utils.data import IterableDataset


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        info = torch.utils.data.get_worker_info()
        if info is None:
            self.numbers = range(start, end)
        else:
            self.numbers = range(start + info.id, end, info.num_workers)

    def __iter__(self):
        return iter(self.numbers)
