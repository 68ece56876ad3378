# HW3 ex1 - Jonas Weber
import os
import csv
import torch
from PIL import Image
from torch.utils.data import Dataset


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        f = open(path)
        reader = csv.DictReader(f)
        self.rows = list(reader)
        f.close()
        if features == None:
            features = [c for c in reader.fieldnames if c != target]
        self.features = features
        self.target = target
        self.transform = transform

        targets = [r[target] for r in self.rows]
        if all(t.lstrip("-").isdigit() for t in targets):
            self.classes = None
            self.labels = [int(t) for t in targets]
        else:
            self.classes = sorted(set(targets))
            self.labels = [self.classes.index(t) for t in targets]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]   # list indexing handles negative idx + IndexError
        x = torch.tensor([float(row[c]) for c in self.features], dtype=torch.float32)
        if self.transform:
            x = self.transform(x)
        y = torch.tensor(self.labels[idx], dtype=torch.long)
        return x, y


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.root = root
        self.transform = transform
        self.classes = []
        for d in os.listdir(root):
            if os.path.isdir(os.path.join(root, d)):
                self.classes.append(d)
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            for f in sorted(os.listdir(os.path.join(root, c))):
                if f.lower().endswith((".png", ".jpg", ".jpeg")):
                    self.samples.append((os.path.join(root, c, f), self.class_to_idx[c]))
        print("found classes:", self.classes)

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, label
