# expect: full marks
"""Parses the CSV with numpy (as text), keeps tensors; lists images with glob and torchvision's pil_loader."""

import glob
import os

import numpy as np
import torch
from torch.utils.data import Dataset
from torchvision.datasets.folder import pil_loader


class CSVDataset(Dataset):
    def __init__(self, path, target, features=None, transform=None):
        table = np.loadtxt(path, delimiter=",", dtype=str, ndmin=2)
        header, body = list(table[0]), table[1:]
        if features is None:
            features = [name for name in header if name != target]
        cols = [header.index(name) for name in features]
        self.x = torch.from_numpy(body[:, cols].astype(np.float64)).float()
        labels = body[:, header.index(target)]
        try:
            self.y = torch.from_numpy(labels.astype(np.int64))
            self.classes = None
        except ValueError:
            names, codes = np.unique(labels, return_inverse=True)
            self.classes = names.tolist()
            self.y = torch.from_numpy(codes.astype(np.int64))
        self.transform = transform

    def __len__(self):
        return self.x.shape[0]

    def __getitem__(self, index):
        x, y = self.x[index], self.y[index]  # tensors raise IndexError and accept negative indices
        return (self.transform(x) if self.transform else x), y


class ImageFolderDataset(Dataset):
    def __init__(self, root, transform=None):
        self.transform = transform
        self.classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = []
        for c in self.classes:
            files = sorted(glob.glob(os.path.join(glob.escape(os.fspath(root)), c, "*")))
            self.samples += [(f, self.class_to_idx[c]) for f in files
                             if os.path.splitext(f)[1].lower() in (".png", ".jpg", ".jpeg")]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, target = self.samples[index]
        image = pil_loader(path)  # opens the file and converts to RGB
        if self.transform is not None:
            image = self.transform(image)
        return image, target
