"""Exercise 7: the indices DistributedSampler gives one rank."""

from __future__ import annotations

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    """Exactly ``list(DistributedSampler(...))`` for ``rank`` after ``set_epoch(epoch)``."""
    raise NotImplementedError
