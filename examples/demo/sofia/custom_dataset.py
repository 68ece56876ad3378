"""Exercise 1: custom map-style datasets.

Implement ``CSVDataset`` and ``ImageFolderDataset``; see README.md in this folder.
"""

from __future__ import annotations

import csv
import os

import torch
from PIL import Image
from torch.utils.data import Dataset


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            if features is None:
                features = sorted(set(reader.fieldnames) - {target})
        self.features = features
        self.transform = transform
        self.x = torch.tensor([[float(r[f]) for f in features] for r in rows], dtype=torch.float32)
        raw = [r[target] for r in rows]
        if all(v.strip().isdigit() for v in raw):
            self.classes = None
            self.y = torch.tensor([int(v) for v in raw], dtype=torch.int64)
        else:
            self.classes = sorted(set(raw))
            self.y = torch.tensor([self.classes.index(v) for v in raw], dtype=torch.int64)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, index):
        if index >= len(self) or index < -len(self):
            raise IndexError("out of range")
        x = self.x[index]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.y[index]


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.transform = transform
        self.classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        self.samples = []
        for name in self.classes:
            for file in sorted(os.listdir(os.path.join(root, name))):
                if file.lower().endswith((".png", ".jpg", ".jpeg")):
                    self.samples.append((os.path.join(root, name, file), self.class_to_idx[name]))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, label = self.samples[index]
        img = Image.open(path).convert("RGB")
        if self.transform is not None:
            img = self.transform(img)
        return img, label
