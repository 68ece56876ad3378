"""Exercise 4: a collate_fn for variable-length sequences.  -- Priya"""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [torch.as_tensor(s, dtype=torch.long) for s, _ in batch]
    lengths = torch.tensor([s.numel() for s in seqs], dtype=torch.long)
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.long)
    if not seqs:
        return torch.empty(0, 0, dtype=torch.long), lengths, labels
    # pad_sequence copies, so the input tensors stay as they are
    return pad_sequence(seqs, batch_first=True, padding_value=pad_value), lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
