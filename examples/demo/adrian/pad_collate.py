"""HW3 / exercise 4 (Adrian Popescu)"""

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    T = max((len(s) for s, _ in batch), default=0)
    rows = [F.pad(s.long(), (0, T - len(s)), value=pad_value) for s, _ in batch]
    padded = torch.stack(rows) if rows else torch.zeros(0, 0, dtype=torch.long)
    lengths = torch.tensor([len(s) for s, _ in batch], dtype=torch.long)
    labels = torch.tensor([y for _, y in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, collate_fn=pad_collate)
