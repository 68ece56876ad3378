"""Exercise 1: custom map-style datasets.

Hannah's solution: image folders first, then CSV files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import torch
from PIL import Image
from torch.utils.data import Dataset

ALLOWED_EXTENSIONS = {'.png', '.jpg', '.jpeg'}


class ImageFolderDataset(Dataset):
    """One folder per class, images inside."""

    def __init__(self, root, transform=None):
        base_dir = Path(root)
        self.transform = transform
        # class names = sub-folder names, sorted
        self.classes = sorted(d.name for d in base_dir.iterdir() if d.is_dir())
        self.class_to_idx = {name: idx for idx, name in enumerate(self.classes)}
        self.samples = []
        for name in self.classes:
            images = sorted(f for f in (base_dir / name).iterdir()
                            if f.is_file() and f.suffix.lower() in ALLOWED_EXTENSIONS)
            self.samples += [(str(f), self.class_to_idx[name]) for f in images]

    def __getitem__(self, index):
        img_path, target = self.samples[index]
        with Image.open(img_path) as opened:
            picture = opened.convert('RGB')
        return (self.transform(picture) if self.transform else picture), target

    def __len__(self):
        return len(self.samples)


class CSVDataset(Dataset):
    """Rows of a CSV file as (features, target) pairs."""

    def __init__(self, path, target, features=None, transform=None):
        with open(path, newline='', encoding='utf-8') as handle:
            dict_reader = csv.DictReader(handle)
            columns = dict_reader.fieldnames
            records = [row for row in dict_reader]
        if features is None:
            features = [col for col in columns if col != target]
        self.features = list(features)
        self.transform = transform
        self.X = torch.tensor(
            [[float(row[col]) for col in self.features] for row in records],
            dtype=torch.float32,
        ).reshape(len(records), len(self.features))
        # integer labels stay as they are, anything else is numbered alphabetically
        targets = [row[target].strip() for row in records]
        if all(looks_like_int(t) for t in targets):
            self.classes = None
            self.y = torch.tensor([int(t) for t in targets], dtype=torch.int64)
        else:
            self.classes = sorted(set(targets))
            index_of = {cls: k for k, cls in enumerate(self.classes)}
            self.y = torch.tensor([index_of[t] for t in targets], dtype=torch.int64)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f'row {index} does not exist ({len(self)} rows)')
        sample = self.X[index].clone()
        if self.transform is not None:
            sample = self.transform(sample)
        return sample, self.y[index]

    def __len__(self):
        return self.y.shape[0]


def looks_like_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True
