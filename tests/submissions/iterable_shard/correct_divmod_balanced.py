# expect: full marks
"""Balanced contiguous shards with divmod: the first `extra` workers take one number more."""

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end

    def _bounds(self):
        info = get_worker_info()
        if info is None:
            return self.start, self.end
        base, extra = divmod(self.end - self.start, info.num_workers)
        lo = self.start + info.id * base + min(info.id, extra)
        return lo, lo + base + (1 if info.id < extra else 0)

    def __iter__(self):
        lo, hi = self._bounds()
        current = lo
        while current < hi:
            yield current
            current += 1
