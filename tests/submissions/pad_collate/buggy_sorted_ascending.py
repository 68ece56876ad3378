# expect: you reorder the batch (sorted by length)
"""Sorts the batch shortest-first ("bucketing") before padding."""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    order = sorted(range(len(batch)), key=lambda i: batch[i][0].numel())
    seqs = [batch[i][0] for i in order]
    labels = torch.tensor([batch[i][1] for i in order], dtype=torch.long)
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([s.numel() for s in seqs], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
