import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

# liam o'brien -- hw3


def pad_collate(batch, pad_value=0):
    seqs, labels = zip(*batch)
    padded = pad_sequence(list(seqs), batch_first=True, padding_value=pad_value)
    lengths = torch.tensor([len(s) for s in seqs])
    return padded, lengths, torch.tensor(labels)


def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
