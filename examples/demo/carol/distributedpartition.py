def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    return list(range(rank, dataset_size, num_replicas))
