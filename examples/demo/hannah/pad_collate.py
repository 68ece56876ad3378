"""Exercise 4: a collate_fn for variable-length sequences."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset


def pad_collate(batch, pad_value=0):
    B = len(batch)
    T = max((len(seq) for seq, _ in batch), default=0)
    padded = torch.full((B, T), pad_value, dtype=torch.int64)
    lengths = torch.zeros(B, dtype=torch.int64)
    labels = torch.zeros(B, dtype=torch.int64)
    for i, (seq, label) in enumerate(batch):
        n = len(seq)
        padded[i, :n] = seq     # copy into the new tensor, seq itself is untouched
        lengths[i] = n
        labels[i] = label
    return padded, lengths, labels


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool = False) -> DataLoader:
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
