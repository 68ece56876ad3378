# Bob's collate function
import torch
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    # sort longest first, like the RNN tutorial does
    batch = sorted(batch, key=lambda item: len(item[0]), reverse=True)
    T = len(batch[0][0])
    padded = torch.zeros(len(batch), T, dtype=torch.int64)
    for i, (seq, _) in enumerate(batch):
        padded[i, T - len(seq):] = seq
    lengths = torch.tensor([len(s) for s, _ in batch], dtype=torch.int32)
    labels = torch.tensor([l for _, l in batch])
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, collate_fn=pad_collate)
