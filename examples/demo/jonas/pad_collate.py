# HW3 ex4 - Jonas Weber
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [item[0] for item in batch]
    labels = torch.tensor([item[1] for item in batch], dtype=torch.long)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    if len(seqs) == 0:
        return torch.zeros(0, 0, dtype=torch.long), lengths, labels
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
