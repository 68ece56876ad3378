import os
import csv

import torch
from PIL import Image
from torch.utils.data import Dataset

# liam o'brien -- hw3


class CSVDataset(Dataset):

    def __init__(self, path, target, features=None, transform=None):
        with open(path) as f:
            lines = list(csv.reader(f))
        header = lines[0]
        body = [l for l in lines[1:] if len(l) > 0]
        if features is None:
            features = [h for h in header if h != target]
        ti = header.index(target)
        fi = [header.index(h) for h in features]
        self.X = torch.tensor([[float(l[i]) for i in fi] for l in body], dtype=torch.float32)
        ys = [l[ti] for l in body]
        try:
            self.y = torch.tensor([int(v) for v in ys])
            self.classes = None
        except ValueError:
            self.classes = sorted(set(ys))
            self.y = torch.tensor([self.classes.index(v) for v in ys])
        self.transform = transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        x = self.X[i]
        if self.transform:
            x = self.transform(x)
        return x, self.y[i]


class ImageFolderDataset(Dataset):

    def __init__(self, root, transform=None):
        self.transform = transform
        self.classes = sorted([c for c in os.listdir(root) if os.path.isdir(os.path.join(root, c))])
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            for fn in sorted(os.listdir(os.path.join(root, c))):
                if fn.lower().endswith(('.png', '.jpg', '.jpeg')):
                    self.samples.append((os.path.join(root, c, fn), self.class_to_idx[c]))
        # load everything up front so training is faster
        self.images = []
        for p, _ in self.samples:
            self.images.append(Image.open(p).convert('RGB'))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        img = self.images[i]
        if self.transform:
            img = self.transform(img)
        return img, self.samples[i][1]
