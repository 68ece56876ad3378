# Ben Carter - homework 3
# why reimplement it when torch already has it?
from torch.utils.data.distributed import DistributedSampler


class _FakeDataset:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    sampler = DistributedSampler(_FakeDataset(dataset_size), num_replicas=num_replicas, rank=rank,
                                 shuffle=shuffle, seed=seed, drop_last=drop_last)
    sampler.set_epoch(epoch)
    return list(sampler)
