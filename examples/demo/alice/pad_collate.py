"""Homework 2 - Alice. Padding by hand, no pad_sequence."""
import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    longest = max([len(seq) for seq, _ in batch], default=0)
    padded = torch.full((len(batch), longest), pad_value, dtype=torch.long)
    lengths = torch.zeros(len(batch), dtype=torch.long)
    labels = torch.zeros(len(batch), dtype=torch.long)
    for i, (seq, label) in enumerate(batch):
        padded[i, : len(seq)] = seq
        lengths[i] = len(seq)
        labels[i] = label
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
