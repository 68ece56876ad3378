"""Public checks for custom_dataset: run them with `dlgrade check custom_dataset.py`."""

import pytest
import torch

from grader.checks import probe

CSV_TEXT = "a,b,label\n1.0,2.0,0\n3.0,4.5,1\n0.5,-1.0,1\n"


@probe
def small_csv(mod, text):
    import os
    import tempfile

    path = os.path.join(tempfile.mkdtemp(dir=os.getcwd()), "small.csv")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    ds = mod.CSVDataset(path, "label")
    return len(ds), [ds[i] for i in range(len(ds))]


@pytest.mark.points(0.5)
def test_csv_dataset(student):
    """CSVDataset reads a small CSV with integer targets"""
    n, items = student.probe(small_csv, CSV_TEXT)
    assert n == 3, f"len(ds) must be the number of data rows (3, the header is not a row), got {n}"
    assert all(isinstance(item, (tuple, list)) and len(item) == 2 for item in items), "ds[i] must return a pair (x, y)"
    x, y = items[0]
    assert isinstance(x, torch.Tensor), f"x must be a torch.Tensor, got {type(x).__name__}"
    assert x.dtype == torch.float32, f"x must be float32, got {x.dtype}"
    assert x.tolist() == [1.0, 2.0], f"ds[0] should have x = [1.0, 2.0] (columns a and b), got {x.tolist()}"
    assert isinstance(y, torch.Tensor), f"y must be a torch.Tensor, got {type(y).__name__}"
    assert y.dtype == torch.int64 and y.shape == (), f"y must be an int64 scalar tensor, got {y.dtype} {list(y.shape)}"
    assert [int(item[1]) for item in items] == [0, 1, 1], "the targets of the three rows should be 0, 1, 1"


@probe
def small_folder(mod):
    import os
    import tempfile

    import PIL.Image

    root = tempfile.mkdtemp(dir=os.getcwd())
    for rel, colour in (("cat/1.png", (255, 0, 0)), ("cat/2.png", (0, 255, 0)), ("dog/1.png", (0, 0, 255))):
        os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
        PIL.Image.new("RGB", (4, 3), colour).save(os.path.join(root, rel))
    ds = mod.ImageFolderDataset(root)
    img, label = ds[2]
    return {
        "classes": list(ds.classes),
        "class_to_idx": dict(ds.class_to_idx),
        "labels": [int(label) for _, label in ds.samples],
        "len": len(ds),
        "image": [type(img).__name__, getattr(img, "mode", None), list(getattr(img, "size", []))],
        "label": int(label),
    }


@pytest.mark.points(0.5)
def test_image_folder(student):
    """ImageFolderDataset lists a folder of two classes"""
    got = student.probe(small_folder)
    assert got["classes"] == ["cat", "dog"], f"ds.classes should be ['cat', 'dog'], got {got['classes']}"
    assert got["class_to_idx"] == {"cat": 0, "dog": 1}, (
        f"ds.class_to_idx should be {{'cat': 0, 'dog': 1}}, got {got['class_to_idx']}")
    assert got["len"] == 3, f"len(ds) should be 3 (three images), got {got['len']}"
    assert got["labels"] == [0, 0, 1], f"the class indices of ds.samples should be [0, 0, 1], got {got['labels']}"
    kind, mode, size = got["image"]
    assert mode == "RGB" and size == [4, 3], (
        f"ds[2][0] should be the 4x3 RGB PIL image dog/1.png, got a {kind} (mode {mode}, size {size})")
    assert got["label"] == 1, f"ds[2][1] should be 1 (dog), got {got['label']}"
