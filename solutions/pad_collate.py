"""Exercise 4: a collate_fn for variable-length sequences.

Implement ``pad_collate`` and ``make_loader``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset


def pad_collate(batch, pad_value=0):
    """Pad a batch of ``(seq, label)`` pairs at the end.

    Returns ``(padded, lengths, labels)``: ``padded`` int64 ``[B, T_max]``,
    ``lengths`` int64 ``[B]``, ``labels`` int64 ``[B]``, batch order kept.
    """
    # BEGIN SOLUTION
    seqs = [torch.as_tensor(seq, dtype=torch.int64) for seq, _ in batch]
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    if not seqs:
        return torch.zeros((0, 0), dtype=torch.int64), lengths, labels
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    return padded, lengths, labels
    # END SOLUTION


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool = False) -> DataLoader:
    """A DataLoader over ``dataset`` that batches with :func:`pad_collate`."""
    # BEGIN SOLUTION
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
    # END SOLUTION
