import sys
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

print("loading dan's homework...")


def pad_collate(batch, pad_value=0):
    seqs = [seq for seq, _ in batch]
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    return padded, torch.tensor([len(s) for s in seqs]), torch.tensor([label for _, label in batch])


def make_loader(dataset, batch_size, shuffle=False):
    while True:  # TODO: finish this
        pass
