# expect: full marks
"""Reads the whole CSV with str.split; walks the image folder with os.walk and sorts the collected pairs."""

import os

import torch
from PIL import Image
from torch.utils.data import Dataset

IMAGE_SUFFIXES = ("png", "jpg", "jpeg")


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        with open(path, encoding="utf-8") as fh:
            lines = [line.rstrip("\n") for line in fh if line.strip()]
        header = lines[0].split(",")
        cells = [line.split(",") for line in lines[1:]]
        t = header.index(target)
        wanted = features if features is not None else header[:t] + header[t + 1:]
        idx = [header.index(name) for name in wanted]
        self.data = torch.tensor([[float(row[j]) for j in idx] for row in cells], dtype=torch.float32)
        raw = [row[t] for row in cells]
        if all(v.lstrip("+-").isdigit() for v in raw):
            self.classes = None
            self.targets = torch.tensor([int(v) for v in raw], dtype=torch.int64)
        else:
            self.classes = sorted(set(raw))
            self.targets = torch.tensor([self.classes.index(v) for v in raw], dtype=torch.int64)
        self.transform = transform

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        if i < 0:
            i = len(self) + i
        if i < 0 or i >= len(self):
            raise IndexError(i)
        x = self.data[i]
        return (x if self.transform is None else self.transform(x)), self.targets[i]


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.transform = transform
        top = next(os.walk(root))
        self.classes = sorted(top[1])
        self.class_to_idx = dict(zip(self.classes, range(len(self.classes))))
        pairs = []
        for cls in self.classes:
            folder = os.path.join(root, cls)
            _, _, files = next(os.walk(folder))
            for name in files:
                if name.rsplit(".", 1)[-1].lower() in IMAGE_SUFFIXES and "." in name:
                    pairs.append((cls, name))
        pairs.sort()
        self.samples = [(os.path.join(root, c, n), self.class_to_idx[c]) for c, n in pairs]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = Image.open(path)
        img.load()
        img = img.convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, label
