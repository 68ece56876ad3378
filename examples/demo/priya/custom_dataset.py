"""Exercise 1: custom map-style datasets.

Priya Raman - HW3
"""

from __future__ import annotations

import csv
from pathlib import Path

import torch
from PIL import Image
from torch.utils.data import Dataset

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def _is_int(s: str) -> bool:
    try:
        int(s)
    except ValueError:
        return False
    return True


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames
            rows = [r for r in reader]
        if features is None:
            features = [c for c in header if c != target]
        self.features = list(features)
        self.transform = transform
        self.X = torch.tensor([[float(r[c]) for c in self.features] for r in rows],
                              dtype=torch.float32).reshape(len(rows), len(self.features))

        raw = [r[target].strip() for r in rows]
        if all(_is_int(v) for v in raw):
            self.classes = None
            self.y = torch.tensor([int(v) for v in raw], dtype=torch.int64)
        else:
            self.classes = sorted(set(raw))
            lookup = {c: i for i, c in enumerate(self.classes)}
            self.y = torch.tensor([lookup[v] for v in raw], dtype=torch.int64)

    def __len__(self):
        return self.y.shape[0]

    def __getitem__(self, i):
        if not -len(self) <= i < len(self):
            raise IndexError(f"index {i} out of range for {len(self)} rows")
        x = self.X[i].clone()
        if self.transform is not None:
            x = self.transform(x)
        return x, self.y[i]


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        root = Path(root)
        self.transform = transform
        self.classes = sorted(p.name for p in root.iterdir() if p.is_dir())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            files = sorted(p for p in (root / c).iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
            self.samples += [(str(p), self.class_to_idx[c]) for p in files]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        with Image.open(path) as im:
            img = im.convert("RGB")
        return (self.transform(img) if self.transform else img), label
