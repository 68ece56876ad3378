# expect: `lengths` must be int64
"""Stores lengths (and labels) as int32 to "save memory"."""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [seq for seq, _ in batch]
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int32)
    labels = torch.tensor([label for _, label in batch], dtype=torch.int32)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
