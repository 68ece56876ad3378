# expect: every worker yields the whole stream
"""Yields the whole range in __iter__ without asking which worker it runs in."""

from torch.utils.data import IterableDataset


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end

    def __iter__(self):
        return iter(range(self.start, self.end))
