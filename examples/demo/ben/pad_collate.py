# Ben Carter - homework 3
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader


def pad_collate(batch, pad_value=0):
    seqs = [s for s, _ in batch]
    padded = pad_sequence(seqs, batch_first=True)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    labels = torch.tensor([y for _, y in batch], dtype=torch.long)
    return padded, lengths, labels


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
