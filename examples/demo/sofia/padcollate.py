"""Exercise 4: a collate_fn for variable-length sequences.

Implement ``pad_collate`` and ``make_loader``; see README.md in this folder.
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset


def pad_collate(batch, pad_value=0):
    sequences = [seq for seq, _ in batch]
    labels = torch.tensor([label for _, label in batch], dtype=torch.int64)
    lengths = torch.tensor([len(seq) for seq in sequences], dtype=torch.int64)
    padded = pad_sequence(sequences, batch_first=True, padding_value=pad_value)
    return padded, lengths, labels


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool = False) -> DataLoader:
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
