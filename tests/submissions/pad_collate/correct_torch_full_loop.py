# expect: full marks
"""Pad with a preallocated tensor filled with pad_value, then copy each sequence in."""

import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    max_len = int(lengths.max()) if len(batch) else 0
    padded = torch.full((len(batch), max_len), pad_value, dtype=torch.long)
    for i, (seq, _) in enumerate(batch):
        padded[i, : len(seq)] = seq
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
