# expect: pad_collate changed the sequences it was given
"""Grows each input sequence in place with resize_ and writes the padding into it."""

import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    max_len = int(lengths.max()) if len(batch) else 0
    rows = []
    for (seq, _), n in zip(batch, lengths.tolist()):
        seq.resize_(max_len)
        seq[n:] = pad_value
        rows.append(seq)
    padded = torch.stack(rows) if rows else torch.zeros(0, 0, dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
