# expect: full marks
"""Build the padded rows as Python lists, then make one tensor of a fixed dtype and shape."""

import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    tokens = [seq.tolist() for seq, _ in batch]
    longest = max(map(len, tokens), default=0)
    rows = [t + [pad_value] * (longest - len(t)) for t in tokens]
    padded = torch.tensor(rows, dtype=torch.int64).reshape(len(rows), longest)
    return padded, torch.tensor(list(map(len, tokens))), torch.tensor([int(lab) for _, lab in batch])


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
