"""Exercise 4: a collate_fn for variable-length sequences."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset


def pad_collate(batch, pad_value=0):
    # pad on the left like HuggingFace does for decoder models (padding_side="left")
    # so the last token of every row is a real token
    max_len = max([len(seq) for seq, _ in batch] + [0])
    rows, lengths, labels = [], [], []
    for seq, label in batch:
        pad = torch.full((max_len - len(seq),), pad_value, dtype=torch.int64)
        rows.append(torch.cat([pad, seq.long()]))
        lengths.append(len(seq))
        labels.append(label)
    padded = torch.stack(rows) if rows else torch.zeros(0, 0, dtype=torch.int64)
    return padded, torch.tensor(lengths, dtype=torch.int64), torch.tensor(labels, dtype=torch.int64)


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool = False) -> DataLoader:
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
