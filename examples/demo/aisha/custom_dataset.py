"""Exercise 1: custom map-style datasets.

Implement ``CSVDataset`` and ``ImageFolderDataset``; see README.md in this folder.
"""

from __future__ import annotations

import csv
import glob
import os

import torch
from PIL import Image
from torch.utils.data import Dataset


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            self.data = [row for row in reader]
            header = reader.fieldnames
        self.features = features or [h for h in header if h != target]
        self.transform = transform
        values = [row[target] for row in self.data]
        try:
            self.targets = [int(v) for v in values]
            self.classes = None
        except ValueError:
            self.classes = sorted(set(values))
            self.targets = [self.classes.index(v) for v in values]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        row = self.data[index]
        x = torch.tensor([float(row[f]) for f in self.features], dtype=torch.float32)
        if self.transform is not None:
            x = self.transform(x)
        y = torch.tensor([self.targets[index]], dtype=torch.int64)
        return x, y


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.transform = transform
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            files = glob.glob(os.path.join(root, c, "*"))
            for f in sorted(files):
                if f.lower().endswith((".png", ".jpg", ".jpeg")):
                    self.samples.append((f, self.class_to_idx[c]))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, label = self.samples[index]
        image = Image.open(path).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        return image, label
