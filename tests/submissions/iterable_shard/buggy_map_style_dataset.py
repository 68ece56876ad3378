# expect: RangeStream must subclass torch.utils.data.IterableDataset
"""Subclasses the map-style Dataset and only defines __iter__: the DataLoader never calls it."""

from torch.utils.data import Dataset, get_worker_info


class RangeStream(Dataset):
    def __init__(self, start, end):
        self.start = start
        self.end = end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        return iter(range(self.start + info.id, self.end, info.num_workers))
