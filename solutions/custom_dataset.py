"""Exercise 1: custom map-style datasets.

Implement ``CSVDataset`` and ``ImageFolderDataset``; see README.md in this folder.
"""

from __future__ import annotations

import csv
import os

import torch
from PIL import Image
from torch.utils.data import Dataset

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


class CSVDataset(Dataset):
    """Rows of a CSV file (with a header row) as ``(x, y)`` pairs.

    ``x`` is a float32 tensor of shape ``[F]`` holding the ``features`` columns
    (by default every column but ``target``, in file order; otherwise in the
    order of ``features``), passed through ``transform`` when one is given.
    ``y`` is an int64 scalar tensor (shape ``[]``). When every target value is
    an integer, ``y`` is that integer; otherwise the target values are class
    names: ``ds.classes`` lists them sorted, and ``y`` is the index of the
    row's name in ``ds.classes``.

    ``ds[i]`` accepts negative indices like a list; an index out of range
    raises ``IndexError``.
    """

    def __init__(self, path, target, features=None, transform=None):
        # BEGIN SOLUTION
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows = [row for row in reader if row]
        if target not in header:
            raise KeyError(f"no column named {target!r} in {path}")
        if features is None:
            features = [name for name in header if name != target]
        columns = [header.index(name) for name in features]
        values = [[float(row[c]) for c in columns] for row in rows]
        self.features = torch.tensor(values, dtype=torch.float32).reshape(len(rows), len(columns))

        raw = [row[header.index(target)].strip() for row in rows]
        try:
            labels = [int(value) for value in raw]
            self.classes = None
        except ValueError:
            self.classes = sorted(set(raw))
            index = {name: i for i, name in enumerate(self.classes)}
            labels = [index[value] for value in raw]
        self.targets = torch.tensor(labels, dtype=torch.int64)
        self.transform = transform
        # END SOLUTION

    def __len__(self):
        # BEGIN SOLUTION
        return len(self.targets)
        # END SOLUTION

    def __getitem__(self, index):
        # BEGIN SOLUTION
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"index out of range for a dataset of {n} rows")
        x = self.features[index].clone()
        if self.transform is not None:
            x = self.transform(x)
        return x, self.targets[index]
        # END SOLUTION


class ImageFolderDataset(Dataset):
    """Images stored as ``root/<class>/<image>``.

    ``ds.classes`` lists the class folders sorted by name, ``ds.class_to_idx``
    maps each name to its index, and ``ds.samples`` is the list of
    ``(path, class_index)`` of every ``.png``, ``.jpg`` or ``.jpeg`` file (in
    any case), sorted by class then file name; other files are ignored.

    ``__init__`` only lists files: ``ds[i]`` opens image ``i``, converts it to
    RGB and returns ``(transform(img), class_index)`` (``(img, class_index)``
    without a transform).
    """

    def __init__(self, root, transform=None):
        # BEGIN SOLUTION
        self.root = os.fspath(root)
        self.transform = transform
        self.classes = sorted(entry.name for entry in os.scandir(self.root) if entry.is_dir())
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        self.samples = []
        for name in self.classes:
            folder = os.path.join(self.root, name)
            for file in sorted(os.listdir(folder)):
                path = os.path.join(folder, file)
                if file.lower().endswith(IMAGE_EXTENSIONS) and os.path.isfile(path):
                    self.samples.append((path, self.class_to_idx[name]))
        # END SOLUTION

    def __len__(self):
        # BEGIN SOLUTION
        return len(self.samples)
        # END SOLUTION

    def __getitem__(self, index):
        # BEGIN SOLUTION
        path, label = self.samples[index]
        with Image.open(path) as img:
            img = img.convert("RGB")
        if self.transform is not None:
            img = self.transform(img)
        return img, label
        # END SOLUTION
