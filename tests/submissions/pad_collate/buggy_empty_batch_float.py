# expect: a batch of only empty sequences must still give an int64
"""Builds padded from nested lists without a dtype: all-empty rows become float32."""

import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    tokens = [seq.tolist() for seq, _ in batch]
    width = max((len(t) for t in tokens), default=0)
    padded = torch.tensor([t + [pad_value] * (width - len(t)) for t in tokens])
    lengths = torch.tensor([len(t) for t in tokens], dtype=torch.long)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
