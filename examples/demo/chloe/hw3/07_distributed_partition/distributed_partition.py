"""Exercise 7: the indices DistributedSampler gives one rank.

Implement ``partition_indices`` without DistributedSampler; see README.md in this folder.
"""

from __future__ import annotations

import math

import torch


def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
    """Exactly ``list(DistributedSampler(...))`` for ``rank`` after ``set_epoch(epoch)``."""
    raise NotImplementedError
