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
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError


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
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError
