# expect: full marks
"""Pad each row with torch.nn.functional.pad, then stack the rows."""

import functools

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [seq for seq, _ in batch]
    width = max((s.numel() for s in seqs), default=0)
    rows = [F.pad(s.long(), (0, width - s.numel()), value=pad_value) for s in seqs]
    padded = torch.stack(rows) if rows else torch.empty(0, 0, dtype=torch.int64)
    lengths = torch.as_tensor([s.numel() for s in seqs], dtype=torch.int64)
    labels = torch.as_tensor([y for _, y in batch], dtype=torch.int64)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    collate = functools.partial(pad_collate, pad_value=0)
    return DataLoader(dataset, batch_size, shuffle, collate_fn=collate)
