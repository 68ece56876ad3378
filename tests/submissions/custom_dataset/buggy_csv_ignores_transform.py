# expect: the transform was not applied
# score: 9
"""Stores the CSV transform but never calls it."""

import csv
import os

import torch
from PIL import Image
from torch.utils.data import Dataset


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            columns = reader.fieldnames
            rows = list(reader)
        if features is None:
            features = [c for c in columns if c != target]
        self.features = features
        self.transform = transform
        self.x = torch.tensor([[float(r[c]) for c in features] for r in rows], dtype=torch.float32)
        raw = [r[target] for r in rows]
        if all(v.strip().lstrip("-").isdigit() for v in raw):
            self.classes = None
            self.y = torch.tensor([int(v) for v in raw], dtype=torch.long)
        else:
            self.classes = sorted(set(raw))
            lookup = {name: i for i, name in enumerate(self.classes)}
            self.y = torch.tensor([lookup[v] for v in raw], dtype=torch.long)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        if idx < -len(self) or idx >= len(self):
            raise IndexError(f"index {idx} out of range")
        x = self.x[idx]
        return x, self.y[idx]


EXTENSIONS = (".png", ".jpg", ".jpeg")


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.root = root
        self.transform = transform
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            for fname in sorted(os.listdir(os.path.join(root, c))):
                if fname.lower().endswith(EXTENSIONS):
                    self.samples.append((os.path.join(root, c, fname), self.class_to_idx[c]))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")
        if self.transform is not None:
            img = self.transform(img)
        return img, label
