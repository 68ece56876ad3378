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
    seqs = []
    labels = []
    for seq, label in batch:
        seqs.append(seq)
        labels.append(label)
    print(seqs)
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([len(s) for s in seqs])
    return padded, lengths, torch.tensor(labels)


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool = False) -> DataLoader:
    """A DataLoader over ``dataset`` that batches with :func:`pad_collate`."""
    raise NotImplementedError
