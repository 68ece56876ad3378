# expect: you pad at the front
"""Left-pads the sequences (the padding goes before the tokens)."""

import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    max_len = max((len(seq) for seq, _ in batch), default=0)
    padded = torch.full((len(batch), max_len), pad_value, dtype=torch.long)
    for i, (seq, _) in enumerate(batch):
        if len(seq):
            padded[i, max_len - len(seq):] = seq
    lengths = torch.tensor([len(seq) for seq, _ in batch], dtype=torch.long)
    labels = torch.tensor([label for _, label in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
