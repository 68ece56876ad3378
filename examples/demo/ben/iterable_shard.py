# Ben Carter - homework 3
from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        w = get_worker_info()
        if w is None:
            yield from range(self.start, self.end)
        else:
            yield from range(self.start + w.id, self.end, w.num_workers)
