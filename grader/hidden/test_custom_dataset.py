"""Hidden checks: custom_dataset (9 points; the public checks hold 1 more).

Test data is written inside the probes (the sandbox cannot read this repository):
two CSV files (integer targets in the middle of the header; class-name targets) and
an image folder with upper-case extensions, grayscale/RGBA/palette images, stray
files, and a directory listing that is deliberately not in sorted order.
"""

import numpy as np  # the probes run with `np` as a global; imported here for linters
import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, probe

# ---------------------------------------------------------------- CSV data

INT_HEADER = ["width", "label", "height", "age"]
INT_ROWS = [[1.5, 2, 2.25, 3], [-0.5, 0, 4.0, 10], [2.0, 10, 0.75, 7], [3.25, 1, 1.0, 1], [0.25, 2, 5.5, 2]]
INT_FEATURES = [0, 2, 3]  # every column but "label", in file order
INT_SORTED_FEATURES = [3, 2, 0]  # age, height, width: alphabetical

NAMES_HEADER = ["species", "petal", "sepal"]
NAMES_ROWS = [["virginica", 1.5, 2.0], ["setosa", 0.25, -1.0], ["versicolor", 3.0, 0.5],
              ["setosa", 1.0, 1.25], ["virginica", 2.5, 0.75], ["versicolor", 0.5, 4.0]]
NAMES_SORTED = sorted({row[0] for row in NAMES_ROWS})
NAMES_FIRST_SEEN = list(dict.fromkeys(row[0] for row in NAMES_ROWS))


def csv_text(header, rows):
    return "\n".join([",".join(header)] + [",".join(str(v) for v in row) for row in rows]) + "\n"


INT_TEXT = csv_text(INT_HEADER, INT_ROWS)
NAMES_TEXT = csv_text(NAMES_HEADER, NAMES_ROWS)


@probe
def csv_dataset(mod, text, target, indices, features=None, transform=False, batch_size=0):
    import os
    import tempfile

    def plain(value):
        if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
            return value
        if isinstance(value, np.ndarray):
            return value if value.dtype.kind in "biuf" else {"object": "ndarray of " + str(value.dtype)}
        if isinstance(value, np.generic):
            return {"object": "numpy." + type(value).__name__}
        if isinstance(value, (list, tuple)):
            return type(value)(plain(v) for v in value)
        return {"object": type(value).__name__}

    path = os.path.join(tempfile.mkdtemp(dir=os.getcwd()), "data.csv")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    kwargs = {}
    if features is not None:
        kwargs["features"] = features
    seen = []
    plain_items = []
    if transform:
        untransformed = mod.CSVDataset(path, target, **kwargs)
        plain_items = [plain(untransformed[i]) for i in indices]

        def affine(x):
            seen.append([type(x).__name__, str(getattr(x, "dtype", "")), list(getattr(x, "shape", []))])
            return x * 2 + 1
        kwargs["transform"] = affine
    ds = mod.CSVDataset(path, target, **kwargs)
    classes = getattr(ds, "classes", "<missing>")
    if hasattr(classes, "tolist"):
        classes = classes.tolist()
    if isinstance(classes, (list, tuple)):
        classes = [c if isinstance(c, (str, int)) else repr(c) for c in classes]
    elif classes is not None:
        classes = repr(classes)[:80]
    items = []
    for i in indices:
        try:
            items.append(["ok", plain(ds[i])])
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - any error of the student's __getitem__ is the answer
            items.append(["raised", [c.__name__ for c in type(exc).__mro__], str(exc)[:200]])
    out = {"len": len(ds), "classes": classes, "items": items, "seen": seen[:3], "untransformed": plain_items}
    if batch_size:
        loader = torch.utils.data.DataLoader(ds, batch_size=batch_size)
        out["batches"] = [plain(batch) for batch in loader]
    return out


def observe_csv(student, text, target, indices, **options):
    try:
        return student.probe(csv_dataset, text, target, list(indices), **options)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if text == NAMES_TEXT and err.is_a("ValueError") and (
                "could not convert string to float" in err.message or "invalid literal for int" in err.message):
            raise AssertionError(
                "reading a CSV whose target column holds class names (strings) failed: the target column must not "
                "be converted to numbers and must not be part of x; map the class names, sorted, to 0..K-1 "
                f"(your code raised {err.type_name}: {err.message[:150]})") from None
        raise


def item(got, position, index):
    """``(x, y)`` of the sample at ``indices[position]``; fails if ``ds[index]`` raised."""
    entry = got["items"][position]
    if entry[0] == "raised":
        raise AssertionError(f"ds[{index}] raised {entry[1][0]}: {entry[2]}")
    value = entry[1]
    assert isinstance(value, (tuple, list)) and len(value) == 2, "ds[i] must return a pair (x, y)"
    return value


def kind(value):
    if isinstance(value, dict) and "object" in value:
        return value["object"]
    return type(value).__name__


def x_tensor(x):
    assert isinstance(x, torch.Tensor), f"x must be a torch.Tensor, got {kind(x)}"
    return x


def same(x, values):
    want = torch.tensor(values, dtype=torch.float64)
    return x.numel() == want.numel() and torch.allclose(x.detach().double().flatten(), want, rtol=1e-6, atol=1e-6)


def label(y, strict=True):
    """The int in ``y``; ``strict``: after checking it is an int64 scalar tensor (else any one-number tensor)."""
    if not strict and isinstance(y, torch.Tensor) and y.numel() == 1:
        return int(y.flatten()[0])
    assert isinstance(y, torch.Tensor), (
        f"y must be an int64 scalar tensor (torch.tensor(label, dtype=torch.int64)), got {kind(y)}")
    if y.is_floating_point():
        raise AssertionError(f"y must be an int64 tensor (a class index, which is what CrossEntropyLoss expects), got "
                             f"{y.dtype}: targets are class indices, never floats; parse them with int(), not float()")
    assert y.dtype == torch.int64, f"y must be an int64 tensor (torch.long), got {y.dtype}"
    assert y.shape == (), f"y must be a scalar tensor (shape []), got shape {list(y.shape)}"
    return int(y)


@pytest.mark.points(1)
def test_csv_features(student):
    """CSVDataset: x holds every column but the target, in file order, or the `features` asked for"""
    indices = [0, 2]
    got = observe_csv(student, INT_TEXT, "label", indices)
    assert got["len"] == len(INT_ROWS), "len(ds) must be the number of data rows (the header is not a row)"
    for position, index in enumerate(indices):
        x = x_tensor(item(got, position, index)[0])
        row = INT_ROWS[index]
        if same(x, row):
            raise AssertionError("the target column is still in x: by default x holds every column except `target`")
        if not same(x, [row[c] for c in INT_FEATURES]) and same(x, [row[c] for c in INT_SORTED_FEATURES]):
            raise AssertionError("x holds the features in alphabetical order of their names: by default the features "
                                 "are every column but `target`, in the order of the file's header")
        assert x.shape == (len(INT_FEATURES),), (
            f"x must have shape [F] (one value per feature column), got {list(x.shape)}")
        if not same(x, [row[c] for c in INT_FEATURES]) and sorted(x.tolist()) == sorted(
                float(row[c]) for c in INT_FEATURES):
            raise AssertionError("x holds the right values in the wrong order: by default the features are every "
                                 "column but `target`, in the order of the file's header")
        assert same(x, [row[c] for c in INT_FEATURES]), (
            "x must hold the row's values of every column except `target`, in the order of the file's header")
        assert x.dtype == torch.float32, (
            f"x must be float32, got {x.dtype} (numpy reads numbers as float64: build x with dtype=torch.float32 or "
            "call .float())")
    got = observe_csv(student, INT_TEXT, "label", [1], features=["age", "width"])
    x = x_tensor(item(got, 0, 1)[0])
    row = INT_ROWS[1]
    if x.numel() != 2:
        raise AssertionError("you ignore the `features` argument: with a list of column names, x holds exactly "
                             "those columns")
    if same(x, [row[0], row[3]]):
        raise AssertionError("with a `features` list, x must hold those columns in the order of the list, not in "
                             "the order of the file")
    assert same(x, [row[3], row[0]]), "with a `features` list, x must hold those columns, in the order of the list"


@pytest.mark.points(1)
def test_csv_class_names(student):
    """CSVDataset: class names are mapped in sorted order to 0..K-1"""
    indices = range(len(NAMES_ROWS))
    got = observe_csv(student, NAMES_TEXT, "species", indices)
    classes = got["classes"]
    assert classes != "<missing>", "the dataset must expose the class names as ds.classes"
    if classes == NAMES_FIRST_SEEN:
        raise AssertionError("ds.classes lists the class names in order of first appearance: sort them "
                             "(sorted(set(names))) so the numbering does not depend on the order of the rows")
    assert classes == NAMES_SORTED, "ds.classes must be the sorted list of the distinct class names"
    labels = [label(item(got, p, i)[1], strict=False) for p, i in enumerate(indices)]
    names = [row[0] for row in NAMES_ROWS]
    if labels == [NAMES_FIRST_SEEN.index(n) for n in names]:
        raise AssertionError("you number the class names in order of first appearance: class i must be "
                             "ds.classes[i], the i-th name in sorted order")
    assert labels == [NAMES_SORTED.index(n) for n in names], (
        "y must be the index of the row's class name in ds.classes (the sorted class names)")
    for p, i in enumerate(indices):
        x = x_tensor(item(got, p, i)[0])
        assert same(x, NAMES_ROWS[i][1:]), (
            "with class-name targets, x must still hold every other column, in the order of the file's header")


@pytest.mark.points(1)
def test_csv_integer_targets(student):
    """CSVDataset: integer targets are int64 scalar tensors, used as they are"""
    indices = range(len(INT_ROWS))
    got = observe_csv(student, INT_TEXT, "label", indices)
    labels = [label(item(got, p, i)[1]) for p, i in enumerate(indices)]
    want = [row[1] for row in INT_ROWS]
    if labels != want and sorted(set(labels)) == list(range(len(set(want)))):
        raise AssertionError("integer targets are class indices already: use their values as they are instead of "
                             "renumbering them (only non-integer targets are class names to map)")
    assert labels == want, "y must be the row's value in the target column"


@pytest.mark.points(1)
def test_csv_indexing(student):
    """CSVDataset: negative indices work like a list's; out of range raises IndexError"""
    n = len(INT_ROWS)
    indices = [n - 1, -1, 0, -n, n, -n - 1, 10 * n]
    got = observe_csv(student, INT_TEXT, "label", indices)
    last, first = item(got, 0, n - 1), item(got, 2, 0)
    for position, index, want in ((1, -1, last), (3, -n, first)):
        entry = got["items"][position]
        if entry[0] == "raised":
            raise AssertionError(f"negative indices must work like a list's (ds[-1] is the last sample, ds[-len(ds)] "
                                 f"the first), but ds[{index}] raised {entry[1][0]}")
        assert equal(item(got, position, index), want), (
            f"negative indices must work like a list's: ds[{index}] must be "
            + ("the last sample, ds[len(ds) - 1]" if index == -1 else "the first sample, ds[0]"))
    for position, index in ((4, n), (5, -n - 1), (6, 10 * n)):
        entry = got["items"][position]
        shown = "len(ds)" if index == n else ("-len(ds) - 1" if index < 0 else "10 * len(ds)")
        if entry[0] == "ok":
            wrapped = first if index % n == 0 else last  # what a modulo gives: n, 10n -> 0; -n-1 -> n-1
            if equal(entry[1], wrapped):
                raise AssertionError(f"ds[{shown}] returned a sample: you wrap indices around (modulo len); an index "
                                     "out of range must raise IndexError, so that bugs show and `for x, y in ds` stops")
            raise AssertionError(f"ds[{shown}] returned something; an index out of range must raise IndexError")
        assert "IndexError" in entry[1], (
            f"an index out of range must raise IndexError (that is how `for x, y in ds` and list(ds) know where to "
            f"stop), but ds[{shown}] raised {entry[1][0]}")


def comparable(value):
    if isinstance(value, torch.Tensor):
        return ("tensor", str(value.dtype), tuple(value.shape), value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(comparable(v) for v in value)
    return value


def equal(a, b):
    """Whether two answers of ``ds[i]`` are the same sample."""
    return comparable(a) == comparable(b)


@pytest.mark.points(1)
def test_csv_transform_and_loader(student):
    """CSVDataset: transform is applied to x; a DataLoader batches the samples"""
    indices = [0, 3]
    got = observe_csv(student, INT_TEXT, "label", indices, transform=True, batch_size=4)
    if not got["seen"]:
        raise AssertionError("the transform was not applied: when one is given, ds[i] must return (transform(x), y)")
    name = got["seen"][0][0]
    assert name == "Tensor", (
        f"the transform must receive x as a tensor (build the float32 tensor x first, then transform it), it got a "
        f"{name}")
    for position, index in enumerate(indices):
        x, y = item(got, position, index)
        x = x_tensor(x)
        plain_x, plain_y = got["untransformed"][position]
        plain_x = x_tensor(plain_x)
        if x.shape == plain_x.shape and torch.equal(x, plain_x):
            raise AssertionError("you call the transform but return x unchanged: keep its result, "
                                 "x = self.transform(x)")
        if x.shape == plain_x.shape and torch.allclose(x.double(), 4 * plain_x.double() + 3):
            raise AssertionError("the transform was applied twice to the same x: apply it once per ds[i]")
        assert x.shape == plain_x.shape and torch.allclose(x.double(), 2 * plain_x.double() + 1), (
            "ds[i] must return transform(x) as x, where x is what ds[i] returns without a transform")
        assert equal(y, plain_y), (
            "the transform is for x only; y must be the same with or without a transform")
    batches = got["batches"]
    assert len(batches) == 2, (
        f"a DataLoader with batch_size=4 must give ceil(len(ds) / 4) batches (the header is not a row), "
        f"got {len(batches)}")
    first = batches[0]
    assert isinstance(first, (list, tuple)) and len(first) == 2, "each batch of a DataLoader must be [x, y]"
    xb, yb = first
    features = x_tensor(got["untransformed"][0][0]).numel()
    assert isinstance(xb, torch.Tensor) and xb.shape == (4, features), (
        "a DataLoader over your dataset must give x batches of shape [B, F]")
    assert isinstance(yb, torch.Tensor) and yb.numel() == 4, (
        "a DataLoader over your dataset must give B targets a batch")


# ---------------------------------------------------------------- image folder data

# (path under root, "MODE/FORMAT" or "text", colour); the listing the dataset sees is in reverse sorted order.
LAYOUT = [
    ["readme.txt", "text", []],
    ["zebra/b.png", "RGB/PNG", [200, 30, 40]],
    ["zebra/a.JPG", "RGB/JPEG", [20, 160, 90]],
    ["zebra/notes.txt", "text", []],
    ["cat/c2.PNG", "L/PNG", [77]],
    ["cat/c1.jpeg", "RGB/JPEG", [240, 240, 16]],
    ["cat/.DS_Store", "text", []],
    ["cat/thumb.bmp", "RGB/BMP", [10, 20, 250]],
    ["dog/d1.png", "RGBA/PNG", [15, 99, 180, 128]],
    ["dog/d3.JPEG", "L/JPEG", [130]],
    ["dog/d2.png", "P/PNG", [250, 128, 0]],
    ["dog/labels.csv", "text", []],
    ["ant/a1.png", "RGB/PNG", [1, 2, 3]],
    ["ant/a2.gif", "P/GIF", [9, 99, 199]],
]
CLASSES = ["ant", "cat", "dog", "zebra"]
IMAGES = [p for p, k, _ in LAYOUT if k != "text" and p.lower().endswith((".png", ".jpg", ".jpeg"))]
SAMPLES = sorted(([p, CLASSES.index(p.split("/")[0])] for p in IMAGES), key=lambda s: s[0].split("/"))
NOT_IMAGES = {p for p, _, _ in LAYOUT} - set(IMAGES)
KINDS = {p: k for p, k, _ in LAYOUT}


def rgb(kind, colour):
    return colour * 3 if kind.startswith("L/") else colour[:3]


COLOURS = {p: rgb(k, c) for p, k, c in LAYOUT if k != "text"}
AFTER = [[p, k, [255 - v for v in c[:3]] + c[3:]] for p, k, c in LAYOUT]
COLOURS_AFTER = {p: rgb(k, c) for p, k, c in AFTER if k != "text"}
MODE_NAMES = {"L": "grayscale (mode L)", "RGBA": "RGBA (with transparency)", "P": "palette (mode P)"}


@probe
def image_folder(mod, layout, stage, after=None):
    import os
    import tempfile

    import PIL.Image

    root = tempfile.mkdtemp(dir=os.getcwd())

    def write(entries):
        for rel, what, colour in entries:
            path = os.path.join(root, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if what == "text":
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write("not an image\n")
                continue
            mode, fmt = what.split("/")
            if mode == "P":
                img = PIL.Image.new("P", (5, 4), 1)
                img.putpalette([0, 0, 0] + list(colour) + [0, 0, 0] * 254)
            else:
                img = PIL.Image.new(mode, (5, 4), tuple(colour) if len(colour) > 1 else colour[0])
            img.save(path, format=fmt)

    def relative(path):
        try:
            return os.path.relpath(os.path.abspath(os.fspath(path)), root).replace(os.sep, "/")
        except Exception:  # noqa: BLE001 - not a path at all
            return repr(path)[:80]

    def index_of(value):
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_floating_point():
            return int(value)
        return repr(value)[:40]

    def picture(img):
        if isinstance(img, PIL.Image.Image):
            return {"type": "PIL", "mode": img.mode, "size": list(img.size),
                    "rgb": list(img.convert("RGB").getpixel((0, 0)))}
        return {"type": type(img).__name__}

    def samples_of(ds):
        samples = getattr(ds, "samples", None)
        if not isinstance(samples, (list, tuple)):
            return repr(type(samples).__name__)
        out = []
        for sample in samples:
            if isinstance(sample, (list, tuple)) and len(sample) == 2:
                out.append([relative(sample[0]), index_of(sample[1])])
            else:
                out.append(repr(sample)[:80])
        return out

    write(layout)
    if stage == "listing":
        real_listdir, real_scandir = os.listdir, os.scandir

        class Listing:
            def __init__(self, *args, **kwargs):
                with real_scandir(*args, **kwargs) as it:
                    self.entries = sorted(it, key=lambda e: e.name, reverse=True)

            def __iter__(self):
                return self

            def __next__(self):
                if not self.entries:
                    raise StopIteration
                return self.entries.pop(0)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.close()

            def close(self):
                self.entries = []

        os.listdir = lambda *args, **kwargs: sorted(real_listdir(*args, **kwargs), reverse=True)
        os.scandir = Listing
        try:
            ds = mod.ImageFolderDataset(root)
        finally:
            os.listdir, os.scandir = real_listdir, real_scandir
        classes = getattr(ds, "classes", None)
        classes = list(classes) if isinstance(classes, (list, tuple)) else repr(classes)[:80]
        mapping = getattr(ds, "class_to_idx", None)
        mapping = {str(k): index_of(v) for k, v in mapping.items()} if isinstance(mapping, dict) else repr(mapping)
        return {"classes": classes, "class_to_idx": mapping, "samples": samples_of(ds), "len": len(ds)}
    if stage == "items":
        ds = mod.ImageFolderDataset(root)
        items = []
        for i in range(len(ds)):
            pair = ds[i]
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
                return {"not_a_pair": type(pair).__name__}
            items.append([picture(pair[0]), index_of(pair[1])])

        def record(img):
            return "transformed:" + (img.mode if isinstance(img, PIL.Image.Image) else type(img).__name__)

        ds = mod.ImageFolderDataset(root, transform=record)
        transformed = []
        for i in range(len(ds)):
            out = ds[i][0]
            transformed.append(out if isinstance(out, str) else picture(out))
        return {"samples": samples_of(ds), "items": items, "transformed": transformed}
    real_open = PIL.Image.open
    calls = [0]

    def counting(*args, **kwargs):
        calls[0] += 1
        return real_open(*args, **kwargs)

    PIL.Image.open = counting
    try:
        ds = mod.ImageFolderDataset(root)
        in_init = calls[0]
        write(after)
        calls[0] = 0
        pictures = [picture(ds[i][0]) for i in range(len(ds))]
        in_items = calls[0]
    finally:
        PIL.Image.open = real_open
    return {"init": in_init, "items": in_items, "samples": samples_of(ds), "pictures": pictures}


def observe_folder(student, stage, **options):
    return student.probe(image_folder, LAYOUT, stage, **options)


def sample_list(got):
    samples = got["samples"]
    assert isinstance(samples, list), f"ds.samples must be a list of (path, class_index) pairs, got {samples}"
    for sample in samples:
        assert isinstance(sample, list), f"each entry of ds.samples must be a pair (path, class_index), got {sample}"
    return samples


def close(got, want, tolerance):
    return len(got) == len(want) and all(abs(a - b) <= tolerance for a, b in zip(got, want, strict=True))


def tolerance(path):
    return 12 if "JPEG" in KINDS.get(path, "") else 1


@pytest.mark.points(1)
def test_image_classes(student):
    """ImageFolderDataset: classes are the sorted folder names"""
    got = observe_folder(student, "listing")
    classes = got["classes"]
    assert isinstance(classes, list), f"ds.classes must be a list of folder names, got {classes}"
    if any(c in NOT_IMAGES for c in classes):
        raise AssertionError("ds.classes must hold only the folders of root: a file lying next to the class folders "
                             "(such as a README) is not a class")
    if classes == CLASSES[::-1] or (sorted(classes) == CLASSES and classes != CLASSES):
        raise AssertionError("ds.classes is in the order the directory listing gave, but os.listdir, os.scandir and "
                             "glob return entries in an arbitrary order (it differs between file systems and "
                             "machines): sort the folder names")
    assert classes == CLASSES, "ds.classes must be the sorted names of the folders in root"
    mapping = got["class_to_idx"]
    want = {c: i for i, c in enumerate(CLASSES)}
    if mapping == {c: i for i, c in enumerate(CLASSES[::-1])}:
        raise AssertionError("class_to_idx numbers the classes in directory-listing order: class i must be "
                             "ds.classes[i], so map each folder name to its index in the sorted list")
    assert mapping == want, "ds.class_to_idx must map each class name to its index in ds.classes (sorted order)"


@pytest.mark.points(1)
def test_image_samples(student):
    """ImageFolderDataset: samples hold every image (any case), no other file, sorted by class then name"""
    got = observe_folder(student, "listing")
    samples = sample_list(got)
    paths = [s[0] for s in samples]
    want_paths = [s[0] for s in SAMPLES]
    extra = [p for p in paths if p not in want_paths]
    stray = sorted({p for p in extra if p in NOT_IMAGES})
    if stray:
        names = [p.rsplit("/", 1)[-1] for p in stray]
        endings = sorted({name if name.startswith(".") else "." + name.rsplit(".", 1)[-1] for name in names})
        raise AssertionError(f"ds.samples includes files that are not .png/.jpg/.jpeg images ({', '.join(endings)}): "
                             "keep only files whose name ends in .png, .jpg or .jpeg (in any case) and ignore every "
                             "other file")
    assert not extra, ("ds.samples holds paths that are not the image files root/<class>/<file>: store each image's "
                       "path, e.g. os.path.join(root, class_name, file_name)")
    missing = [p for p in want_paths if p not in paths]
    if missing and all(p.rsplit(".", 1)[1] != p.rsplit(".", 1)[1].lower() for p in missing):
        raise AssertionError("ds.samples misses the images whose extension is in upper case: .PNG, .JPG and .JPEG "
                             "files are images too; compare extensions case-insensitively, e.g. "
                             "name.lower().endswith(('.png', '.jpg', '.jpeg'))")
    if missing and any(p.lower().endswith(".jpeg") for p in missing):
        raise AssertionError("ds.samples misses .jpeg images: .png, .jpg and .jpeg (in any case) are all images")
    assert not missing, "ds.samples misses images: every file ending in .png, .jpg or .jpeg (in any case) is one"
    assert len(paths) == len(set(paths)), "ds.samples lists some images more than once"
    assert paths == want_paths, (
        "ds.samples must be sorted by class (in the order of ds.classes), then by file name: os.listdir, "
        "os.scandir and glob return files in an arbitrary order")
    assert [s[1] for s in samples] == [s[1] for s in SAMPLES], (
        "each sample's class index must be the index of its folder in ds.classes (the sorted folder names), as an int")
    assert got["len"] == len(samples), "len(ds) must be the number of images, len(ds.samples)"


@pytest.mark.points(1)
def test_image_lazy(student):
    """ImageFolderDataset: images are opened in __getitem__, not in __init__"""
    got = observe_folder(student, "lazy", after=AFTER)
    if got["init"]:
        raise AssertionError(
            "your __init__ opened images (PIL.Image.open was called while the dataset was built): "
            "__init__ must only list the files; open each image in __getitem__, so that a dataset of a million "
            "images is created instantly and holds no decoded images or open files (DataLoader workers copy it)")
    samples = sample_list(got)
    assert len(got["pictures"]) == len(samples), "len(ds) must be the number of images, len(ds.samples)"
    for (path, _), pic in zip(samples, got["pictures"], strict=True):
        if pic.get("type") != "PIL" or path not in COLOURS:
            continue
        if close(pic["rgb"], COLOURS[path], tolerance(path)) and not close(pic["rgb"], COLOURS_AFTER[path],
                                                                            tolerance(path)):
            raise AssertionError("ds[i] returned the image as the file was when the dataset was built, not as it is "
                                 "now: you load (or cache) the images in __init__; open the file in __getitem__")
        assert close(pic["rgb"], COLOURS_AFTER[path], tolerance(path)), (
            "ds[i] must return the image stored in the file ds.samples[i] points to")


@pytest.mark.points(1)
def test_image_rgb_and_transform(student):
    """ImageFolderDataset: ds[i] is (RGB image, class index), with the transform applied"""
    got = observe_folder(student, "items")
    assert "not_a_pair" not in got, (
        f"ds[i] must return a pair (image, class_index), got a {got.get('not_a_pair')}")
    samples = sample_list(got)
    assert len(got["items"]) == len(samples), "len(ds) must be the number of images, len(ds.samples)"
    for (path, index), (pic, target) in zip(samples, got["items"], strict=True):
        assert pic.get("type") == "PIL", (
            f"with transform=None, ds[i][0] must be the PIL image (converted to RGB), got a {pic['type']}")
        if pic["mode"] != "RGB":
            source = MODE_NAMES.get(KINDS.get(path, "").split("/")[0], f"mode {pic['mode']}")
            raise AssertionError(
                f"ds[i] returned an image in mode {pic['mode']} for a {source} file: convert every image to RGB with "
                "img.convert('RGB'), so every image has 3 channels (otherwise grayscale, RGBA or palette files break "
                "the transforms and the batching)")
        if path in COLOURS:
            assert close(pic["rgb"], COLOURS[path], tolerance(path)), (
                "ds[i] must return the image stored in the file ds.samples[i] points to")
        assert isinstance(target, int), f"ds[i][1] must be the class index as an int, got {target}"
        assert target == index, "ds[i][1] must be the class index of sample i, ds.samples[i][1]"
    for out in got["transformed"]:
        if isinstance(out, dict):
            raise AssertionError("the transform was not applied: with a transform, ds[i] must return "
                                 "(transform(img), class_index)")
        seen = out.removeprefix("transformed:")
        assert seen == "RGB", (
            f"the transform received an image in mode {seen}: convert the image to RGB first, then apply the "
            "transform"
            if seen in MODE_NAMES or seen in ("LA", "1", "CMYK") else
            f"the transform must receive the PIL image (converted to RGB), it received a {seen}")
