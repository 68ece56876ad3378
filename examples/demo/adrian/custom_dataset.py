"""HW3 / exercise 1 (Adrian Popescu)"""

import csv
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames
        self.features = features if features is not None else [h for h in header if h != target]
        self.transform = transform
        # numpy is easier for the numeric part
        self.X = torch.from_numpy(np.array([[float(r[c]) for c in self.features] for r in rows]))
        names = [r[target] for r in rows]
        try:
            self.y = torch.tensor([int(v) for v in names], dtype=torch.int64)
            self.classes = None
        except ValueError:
            self.classes = sorted(set(names))
            self.y = torch.tensor([self.classes.index(v) for v in names], dtype=torch.int64)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        if idx >= len(self) or idx < -len(self):
            raise IndexError(f"{idx} is out of range")
        x = self.X[idx]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.y[idx]


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.transform = transform
        self.classes = sorted(d.name for d in os.scandir(root) if d.is_dir())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            for fname in sorted(os.listdir(os.path.join(root, c))):
                if os.path.splitext(fname)[1].lower() in {".png", ".jpg", ".jpeg"}:
                    self.samples.append((os.path.join(root, c, fname), self.class_to_idx[c]))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")
        if self.transform is not None:
            img = self.transform(img)
        return img, label
