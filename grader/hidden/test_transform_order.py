"""Hidden checks: transform_order (8 points; the public checks hold 2 more).

Images are built in the probe from raw bytes chosen here; the judge builds the same PIL image and
computes the expected tensor with torchvision, so the comparison is exact up to float rounding.
"""

import numpy as np
import PIL.Image
import pytest
import torch
from torchvision import transforms as T
from torchvision.transforms import v2

from grader.checks import NotImplementedYet, StudentError, probe

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
GRAY_MEAN, GRAY_STD = [0.45], [0.27]
TOLERANCE = 1e-5  # float rounding only: one grey level is about 0.017 after Normalize
CONVERSIONS = ("ToTensor", "ToImage", "PILToTensor", "ToDtype", "ConvertImageDtype", "to_tensor", "pil_to_tensor")

NORMALIZE_FIRST = (
    "you apply Normalize before ToTensor: Normalize works on tensors only and fails on a PIL image; convert "
    "first (ToTensor(), or ToImage() + ToDtype(torch.float32, scale=True)), then Normalize(mean, std)")


def pixels(mode, width, height, seed):
    channels = {"RGB": 3, "L": 1}[mode]
    return bytes(np.random.RandomState(seed).randint(0, 256, size=width * height * channels).astype(np.uint8))


def image(mode, width, height, seed):
    return PIL.Image.frombytes(mode, (width, height), pixels(mode, width, height, seed))


def expected(img, mean, std, size=None):
    steps = [T.Resize((size, size))] if size is not None else []
    return T.Compose([*steps, T.ToTensor(), T.Normalize(mean, std)])(img)


@probe
def apply_transform(mod, mode, width, height, data, mean, std, size):
    import PIL.Image

    img = PIL.Image.frombytes(mode, (width, height), data)
    transform = mod.build_transform(mean, std) if size is None else mod.build_transform(mean, std, size=size)
    return transform(img)


@probe
def transform_steps(mod, mean, std, size):
    transform = mod.build_transform(mean, std) if size is None else mod.build_transform(mean, std, size=size)
    steps = getattr(transform, "transforms", None)
    if not isinstance(steps, (list, tuple)):
        return None
    return [type(step).__name__ if type(step).__name__ != "function" else step.__name__ for step in steps]


def steps_of(student, mean, std, size):
    try:
        return student.probe(transform_steps, mean, std, size)
    except StudentError:
        return None


def normalize_first(steps):
    if not steps or "Normalize" not in steps:
        return False
    conversions = [i for i, name in enumerate(steps) if name in CONVERSIONS]
    return bool(conversions) and steps.index("Normalize") < min(conversions)


def transformed(student, mode, width, height, seed, mean, std, size=None):
    """The student's output for one image; classic failures named."""
    try:
        out = student.probe(apply_transform, mode, width, height, pixels(mode, width, height, seed), mean, std, size)
    except NotImplementedYet:
        raise
    except StudentError as err:
        steps = steps_of(student, mean, std, size)
        if normalize_first(steps) or "PIL" in err.message:
            raise AssertionError(NORMALIZE_FIRST) from None
        if "float tensor" in err.message:
            raise AssertionError("Normalize got an integer (uint8) tensor: convert the image to float32 in [0, 1] "
                                 "first, with ToTensor() or ToDtype(torch.float32, scale=True)") from None
        if size is None and steps and any("Resize" in s for s in steps):
            raise AssertionError(f"without `size` the transform must not resize, but yours has a Resize step and "
                                 f"fails ({err.type_name}: {err.message[:150]}); add Resize((size, size)) only when "
                                 "size is given") from None
        raise
    if not isinstance(out, torch.Tensor):
        name = getattr(out, "type_name", type(out).__name__)
        if normalize_first(steps_of(student, mean, std, size)):
            raise AssertionError(NORMALIZE_FIRST)
        raise AssertionError(f"the transform must return a torch.Tensor, got {name}: end it with the conversion "
                             "to a tensor and Normalize")
    return out


def diagnose_values(out, img, mean, std, size=None):
    """Name the classic mistake when ``out`` differs from torchvision's result for ``img``."""
    want = expected(img, mean, std, size)
    if list(out.shape) != list(want.shape):
        c, h, w = want.shape
        if list(out.shape) == [h, w, c]:
            raise AssertionError(f"your tensor is [H, W, C] = {list(out.shape)} (channels last); PyTorch images are "
                                 f"[C, H, W]: convert with ToTensor() / ToImage(), not torch.tensor(np.array(img))")
        raise AssertionError(f"the transform must give a [C, H, W] tensor: C channels (3 for RGB, 1 for L), then "
                             f"the height and width of the (resized) image; got {list(out.shape)}")
    got = out.to(torch.float32)
    if torch.allclose(got, want, rtol=0, atol=TOLERANCE):
        return
    mean_t, std_t = torch.tensor(mean).view(-1, 1, 1), torch.tensor(std).view(-1, 1, 1)
    unit = want * std_t + mean_t  # the image in [0, 1] (after any resize)
    if torch.allclose(got, (unit * 255 - mean_t) / std_t, atol=1e-3):
        raise AssertionError("your values are not scaled to [0, 1] before Normalize: converting with "
                             "ToDtype(torch.float32) without scale=True (or .float()) keeps 0..255; use "
                             "ToDtype(torch.float32, scale=True) or ToTensor()")
    if torch.allclose(got, unit, atol=1e-4):
        raise AssertionError("your tensor is not normalized: apply Normalize(mean, std) after the conversion")
    if torch.allclose(got, unit * 255, atol=1e-2):
        raise AssertionError("your tensor holds 0..255 and is not normalized: convert to float in [0, 1] "
                             "(ToTensor() or ToDtype(torch.float32, scale=True)), then Normalize(mean, std)")
    if torch.allclose(got, (unit - std_t) / mean_t, atol=1e-4):
        raise AssertionError("you swapped mean and std: it is Normalize(mean, std)")
    raise AssertionError("the normalized values differ from torchvision's Resize((size, size)) (when size is given), "
                         "conversion to [0, 1], Normalize(mean, std), applied in that order")


@pytest.mark.points(1)
def test_returns_float32_chw(student):
    """Returns a float32 [C, H, W] tensor"""
    out = transformed(student, "RGB", 7, 5, 1, MEAN, STD)
    assert out.dtype == torch.float32, (
        f"the transform must return float32, got {out.dtype}: convert with ToTensor() or "
        "ToDtype(torch.float32, scale=True)")
    if list(out.shape) == [5, 7, 3]:
        raise AssertionError("your tensor is [H, W, C] (channels last); PyTorch images are [C, H, W]")
    assert list(out.shape) == [3, 5, 7], (
        f"without `size` an RGB image of width W and height H must become a [3, H, W] tensor, got "
        f"{list(out.shape)} for a {7}x{5} image")


@pytest.mark.points(2)
def test_normalized_values(student):
    """Converts to [0, 1], then normalizes: the values match torchvision"""
    for width, height, seed, mean, std in ((7, 5, 1, MEAN, STD), (6, 6, 2, [0.5, 0.25, 0.75], [0.1, 0.3, 0.2])):
        out = transformed(student, "RGB", width, height, seed, mean, std)
        diagnose_values(out, image("RGB", width, height, seed), mean, std)


@pytest.mark.points(1)
def test_resizes_to_a_square(student):
    """Resizes to (size, size) before the conversion to [0, 1]"""
    for width, height, seed, size in ((10, 6, 3, 4), (5, 9, 4, 6)):
        out = transformed(student, "RGB", width, height, seed, MEAN, STD, size)
        shape = list(out.shape)
        if shape != [3, size, size]:
            if len(shape) == 3 and min(shape[1:]) == size and max(shape[1:]) != size:
                raise AssertionError("Resize(size) with one int only sets the SHORTER side to size and keeps the "
                                     "aspect ratio, so a non-square image stays non-square; use "
                                     "Resize((size, size))")
            raise AssertionError(f"with size={size} an RGB image must become a [3, size, size] tensor, got {shape}")
        img = image("RGB", width, height, seed)
        got = out.to(torch.float32)
        # resizing the 8-bit image as a uint8 tensor (v2.ToImage() first, then Resize, then ToDtype with scale=True,
        # the order torchvision's v2 guide shows) rounds like PIL does, to within a grey level: accepted too
        uint8_first = v2.Compose([v2.ToImage(), v2.Resize((size, size)), v2.ToDtype(torch.float32, scale=True),
                                  v2.Normalize(MEAN, STD)])(img).as_subclass(torch.Tensor)
        if torch.allclose(got, uint8_first, rtol=0, atol=TOLERANCE):
            continue
        float_first = T.Compose([T.ToTensor(), T.Resize((size, size)), T.Normalize(MEAN, STD)])(img)
        if not torch.allclose(got, expected(img, MEAN, STD, size), rtol=0, atol=TOLERANCE) and torch.allclose(
                got, float_first, rtol=0, atol=TOLERANCE):
            raise AssertionError("you resize the float tensor after the conversion to [0, 1]; resize the image "
                                 "first: Resize((size, size)), then the conversion, then Normalize")
        diagnose_values(out, img, MEAN, STD, size)


@pytest.mark.points(1)
def test_grayscale_image(student):
    """A grayscale (L) image with a one-value mean gives one channel"""
    out = transformed(student, "L", 6, 4, 5, GRAY_MEAN, GRAY_STD)
    if list(out.shape) == [3, 4, 6]:
        raise AssertionError("a grayscale (mode L) image with a one-value mean must give a [1, H, W] tensor, yours "
                             "has 3 channels: do not convert the image to RGB")
    assert list(out.shape) == [1, 4, 6], (
        f"a grayscale (mode L) image of width W and height H must become a [1, H, W] tensor, got "
        f"{list(out.shape)} for a {6}x{4} image")
    diagnose_values(out, image("L", 6, 4, 5), GRAY_MEAN, GRAY_STD)


@probe
def call_denormalize(mod, t, mean, std):
    before = t.clone()
    out = mod.denormalize(t, mean, std)
    return out, bool(torch.equal(t, before)), out is t


def denormalized(student, t, mean, std, what):
    try:
        return student.probe(call_denormalize, t, mean, std)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if "must match the size of tensor" in err.message:
            raise AssertionError(
                f"denormalize fails on {what}: mean and std broadcast against the LAST dimension (the width); "
                "reshape them to [C, 1, 1] (e.g. .view(-1, 1, 1)) so they line up with the channels") from None
        if err.is_a("IndexError") and "batch" in what:
            raise AssertionError(f"denormalize fails on {what}: your code raised IndexError ({err.message[:120]}): "
                                 "you index the channels as t[c], but for a batch dim 0 is the batch; broadcast "
                                 "mean and std as [C, 1, 1] tensors instead, which fits both [C, H, W] and "
                                 "[N, C, H, W]") from None
        raise AssertionError(f"denormalize fails on {what}: your code raised {err.type_name}: {err.message[:200]}; "
                             "broadcast mean and std as [C, 1, 1] tensors, which fits both [C, H, W] and "
                             "[N, C, H, W]") from None


def check_inverse(out, t, mean, std, what):
    assert isinstance(out, torch.Tensor), f"denormalize must return a torch.Tensor, got {type(out).__name__}"
    assert list(out.shape) == list(t.shape), (
        f"denormalize must keep the shape of {what} {list(t.shape)}, got {list(out.shape)}")
    assert out.dtype == t.dtype, (
        f"denormalize must keep the dtype of its input ({t.dtype}), got {out.dtype}: build mean and std with "
        "dtype=t.dtype (a float64 tensor of mean/std promotes the result to float64)")
    m = torch.tensor(mean, dtype=t.dtype).view(-1, 1, 1)
    s = torch.tensor(std, dtype=t.dtype).view(-1, 1, 1)
    if torch.allclose(out, t * s + m, atol=1e-6):
        return
    if torch.allclose(out, (t - m) / s, atol=1e-5):
        raise AssertionError("denormalize applies Normalize again ((t - mean) / std); its inverse is t * std + mean")
    if torch.allclose(out, t * m + s, atol=1e-6):
        raise AssertionError("you swapped mean and std: the inverse of Normalize is t * std + mean")
    if torch.allclose(out, (t + m) * s, atol=1e-6):
        raise AssertionError("wrong order: multiply by std first, then add mean (t * std + mean)")
    if t.dim() == 4:
        per_dim0 = t.clone()
        for c in range(min(len(mean), t.shape[0])):
            per_dim0[c] = t[c] * std[c] + mean[c]
        if torch.allclose(out, per_dim0, atol=1e-6):
            raise AssertionError("for a batch [N, C, H, W] you treat dim 0 (the batch) as the channels; index the "
                                 "channels from the end (dim -3), e.g. with mean.view(-1, 1, 1)")
    raise AssertionError(f"denormalize must compute t * std + mean per channel for {what}")


@pytest.mark.points(1)
def test_denormalize_image(student):
    """denormalize inverts Normalize on a [C, H, W] image"""
    for t, mean, std in ((torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(0)), MEAN, STD),
                         (torch.randn(1, 3, 5, generator=torch.Generator().manual_seed(1)), GRAY_MEAN, GRAY_STD)):
        out, _, _ = denormalized(student, t, mean, std, f"a [C, H, W] image with C={t.shape[0]}")
        check_inverse(out, t, mean, std, "a [C, H, W] image")


@pytest.mark.points(1)
def test_denormalize_batch(student):
    """denormalize also works on an [N, C, H, W] batch"""
    for n in (2, 4):
        t = torch.randn(n, 3, 4, 5, generator=torch.Generator().manual_seed(n))
        out, _, _ = denormalized(student, t, MEAN, STD, "a batch [N, C, H, W]")
        check_inverse(out, t, MEAN, STD, "a batch [N, C, H, W]")
    t = torch.randn(2, 1, 3, 3, generator=torch.Generator().manual_seed(7))
    out, _, _ = denormalized(student, t, GRAY_MEAN, GRAY_STD, "a batch [N, 1, H, W] with a one-value mean")
    check_inverse(out, t, GRAY_MEAN, GRAY_STD, "a batch [N, 1, H, W]")


@pytest.mark.points(1)
def test_denormalize_leaves_input_alone(student):
    """denormalize does not modify its input"""
    ran = []
    for t in (torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(3)),
              torch.randn(2, 3, 4, 5, generator=torch.Generator().manual_seed(4))):
        try:
            _, unchanged, same_object = student.probe(call_denormalize, t, MEAN, STD)
        except NotImplementedYet:
            raise
        except StudentError:
            continue  # a crash on one shape is judged by the checks above; here only modification counts
        ran.append(t)
        assert unchanged and not same_object, (
            "denormalize modified the tensor it was given (in-place ops such as mul_ / add_, or writing into t): "
            "the caller's normalized images change behind their back (e.g. a batch you still train on); compute "
            "a new tensor, t * std + mean, or work on t.clone()")
    if not ran:
        denormalized(student, torch.randn(3, 4, 5), MEAN, STD, "a [C, H, W] image")  # raises with the reason
