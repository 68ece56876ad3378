# expect: you ignore `pad_value`
"""Always pads with zeros: pad_sequence's padding_value is left at its default."""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [seq for seq, _ in batch]
    padded = pad_sequence(seqs, batch_first=True)
    lengths = torch.tensor([len(s) for s in seqs])
    labels = torch.tensor([label for _, label in batch])
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
