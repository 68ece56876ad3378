from torch.utils.data import IterableDataset

# liam o'brien -- hw3


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self):
        # DataLoader takes care of the workers
        for i in range(self.start, self.end):
            yield i
