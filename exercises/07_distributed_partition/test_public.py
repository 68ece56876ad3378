"""Public checks for distributed_partition: run them with `dlgrade check distributed_partition.py`."""

import pytest


@pytest.mark.points(1)
def test_no_shuffle_two_replicas(student):
    """Splits 10 indices over 2 ranks without shuffling"""
    rank0 = student.call("partition_indices", 10, 2, 0, shuffle=False)
    rank1 = student.call("partition_indices", 10, 2, 1, shuffle=False)
    assert rank0 == [0, 2, 4, 6, 8], f"rank 0 of 2 should get [0, 2, 4, 6, 8], got {rank0}"
    assert rank1 == [1, 3, 5, 7, 9], f"rank 1 of 2 should get [1, 3, 5, 7, 9], got {rank1}"
