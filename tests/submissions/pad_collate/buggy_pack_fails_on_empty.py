# expect: pad_collate must accept empty sequences
"""Pads through pack_sequence/pad_packed_sequence, which rejects sequences of length 0."""

import torch
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [seq for seq, _ in batch]
    packed = pack_sequence(seqs, enforce_sorted=False)
    padded, lengths = pad_packed_sequence(packed, batch_first=True, padding_value=pad_value)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
