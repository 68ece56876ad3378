# expect: some numbers of the range never came
"""Splits the range into num_workers equal chunks with //, which drops the remainder."""

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per_worker = (self.end - self.start) // info.num_workers
        lo = self.start + info.id * per_worker
        return iter(range(lo, lo + per_worker))
