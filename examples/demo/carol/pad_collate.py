import torch
from torch.nn.utils.rnn import pad_sequence

def pad_collate(batch, pad_value=0):
    seqs = [s for s, _ in batch]
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value
    lengths = torch.tensor([len(s) for s in seqs])
    return padded, lengths, torch.tensor([l for _, l in batch])
