# expect: the second epoch over the same RangeStream differs from the first
# score: 9
"""Creates its generator once in __init__, so a second epoch finds it exhausted."""

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end
        self.numbers = self._generate()

    def _generate(self):
        info = get_worker_info()
        if info is None:
            yield from range(self.start, self.end)
        else:
            yield from range(self.start + info.id, self.end, info.num_workers)

    def __iter__(self):
        return self.numbers
