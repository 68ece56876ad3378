# expect: `lengths` must count every token
"""Computes lengths after padding by counting the positions that are not pad_value."""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    padded = pad_sequence([seq for seq, _ in batch], batch_first=True, padding_value=pad_value)
    lengths = (padded != pad_value).sum(dim=1)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
