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
        # read everything once, the files in this course are small
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header, rows = rows[0], [r for r in rows[1:] if r]
        if features is None:
            # every column except the target, keep the order of the file
            features = [h for h in header if h != target]
        cols = [header.index(f) for f in features]
        t = header.index(target)

        data = []
        for r in rows:
            data.append([float(r[c]) for c in cols])
        self.x = torch.tensor(data, dtype=torch.float32).reshape(len(rows), len(cols))

        targets = [r[t].strip() for r in rows]
        try:
            ints = [int(v) for v in targets]
            self.classes = None
        except ValueError:
            # class names -> sorted -> 0..K-1
            self.classes = sorted(set(targets))
            ints = [self.classes.index(v) for v in targets]
        self.y = torch.tensor(ints, dtype=torch.long)
        self.transform = transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        if idx < 0:
            idx = idx + len(self)   # -1 is the last row
        if idx < 0 or idx >= len(self):
            raise IndexError("CSVDataset index out of range")
        x = self.x[idx].clone()
        if self.transform:
            x = self.transform(x)
        return x, self.y[idx]


class ImageFolderDataset(Dataset):
    EXTS = (".png", ".jpg", ".jpeg")

    def __init__(self, root, transform=None):
        self.root = root
        self.transform = transform
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.class_to_idx = {}
        for i, c in enumerate(self.classes):
            self.class_to_idx[c] = i
        self.samples = []
        for c in self.classes:
            folder = os.path.join(root, c)
            for name in sorted(os.listdir(folder)):
                # .PNG and .Jpg count too
                if name.lower().endswith(self.EXTS) and os.path.isfile(os.path.join(folder, name)):
                    self.samples.append((os.path.join(folder, name), self.class_to_idx[c]))
        # print(len(self.samples), "images found")

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")  # opened here, not in __init__ (lazy)
        if self.transform is not None:
            img = self.transform(img)
        return img, label
