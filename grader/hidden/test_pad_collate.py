"""Hidden checks: pad_collate (8 points; the public checks hold 2 more)."""

import pytest
import torch

from grader.checks import NotImplementedYet, StudentError, probe

SEQS = [[5, 6, 7], [8], [9, 10, 11, 12, 13], [14, 15]]
LABELS = [3, 0, 2, 1]


def batch_of(seqs=SEQS, labels=LABELS):
    return [(torch.tensor(s, dtype=torch.int64), label) for s, label in zip(seqs, labels, strict=True)]


def padded_like(seqs, pad_value, front=False):
    width = max((len(s) for s in seqs), default=0)
    rows = [([pad_value] * (width - len(s)) + s) if front else (s + [pad_value] * (width - len(s))) for s in seqs]
    return torch.tensor(rows, dtype=torch.int64).reshape(len(seqs), width)


def unpack(out):
    assert isinstance(out, tuple) and len(out) == 3, "pad_collate must return a tuple (padded, lengths, labels)"
    for name, value in zip(("padded", "lengths", "labels"), out, strict=True):
        assert isinstance(value, torch.Tensor), f"`{name}` must be a torch.Tensor, got {type(value).__name__}"
    return out


@pytest.mark.points(2)
def test_pads_at_the_end(student):
    """Pads every sequence at the end"""
    padded, _, _ = unpack(student.call("pad_collate", batch_of()))
    assert tuple(padded.shape) == (4, 5), f"`padded` must have shape [B, T_max] = [4, 5], got {list(padded.shape)}"
    if torch.equal(padded.long(), padded_like(SEQS, 0, front=True)):
        raise AssertionError("you pad at the front of each sequence; pad at the end, after the real tokens")
    assert torch.equal(padded.long(), padded_like(SEQS, 0)), (
        "`padded` does not hold each sequence followed by padding; row i must be seq i, then pad_value up to T_max")


@pytest.mark.points(1)
def test_uses_pad_value(student):
    """Fills with pad_value, and still counts tokens equal to it"""
    padded, _, _ = unpack(student.call("pad_collate", batch_of(), pad_value=-1))
    if torch.equal(padded.long(), padded_like(SEQS, 0)):
        raise AssertionError("you ignore `pad_value`: the padding is 0 when pad_value=-1")
    assert torch.equal(padded.long(), padded_like(SEQS, -1)), "with pad_value=-1 the padding positions must hold -1"
    seqs = [[0, 4, 0], [6], [0]]
    _, lengths, _ = unpack(student.call("pad_collate", batch_of(seqs, [0, 1, 0]), pad_value=0))
    assert lengths.tolist() == [len(s) for s in seqs], (
        "`lengths` must count every token of a sequence, also tokens equal to pad_value: take each sequence's "
        "length before padding instead of counting the positions of `padded` that differ from pad_value")


@pytest.mark.points(1)
def test_dtypes(student):
    """Returns int64 tensors of the right shapes"""
    padded, lengths, labels = unpack(student.call("pad_collate", batch_of()))
    for name, value, shape in (("padded", padded, [4, 5]), ("lengths", lengths, [4]), ("labels", labels, [4])):
        assert value.dtype == torch.int64, f"`{name}` must be int64 (torch.long), got {value.dtype}"
        assert list(value.shape) == shape, f"`{name}` must have shape {shape}, got {list(value.shape)}"


@pytest.mark.points(1)
def test_keeps_batch_order(student):
    """Keeps the batch order"""
    _, lengths, labels = unpack(student.call("pad_collate", batch_of()))
    got, want = lengths.tolist(), [len(s) for s in SEQS]
    if got != want and got in (sorted(want), sorted(want, reverse=True)):
        raise AssertionError("you reorder the batch (sorted by length); keep the order the DataLoader gave you")
    if got != want and sorted(zip(got, labels.tolist(), strict=False)) == sorted(zip(want, LABELS, strict=True)):
        raise AssertionError("you reorder the batch; keep the order the DataLoader gave you")
    assert got == want, "`lengths[i]` must be the length of sequence i, in batch order"
    assert labels.tolist() == LABELS, "`labels[i]` must be the label of sample i, in batch order"


@probe
def call_and_return_inputs(mod, seqs, labels):
    batch = [(torch.tensor(s, dtype=torch.int64), label) for s, label in zip(seqs, labels, strict=True)]
    mod.pad_collate(batch, pad_value=7)
    return [(seq, label) for seq, label in batch]


@pytest.mark.points(1)
def test_does_not_modify_inputs(student):
    """Leaves the input sequences unchanged"""
    after = student.probe(call_and_return_inputs, SEQS, LABELS)
    for (seq, label), original, original_label in zip(after, SEQS, LABELS, strict=False):
        assert seq.tolist() == original and label == original_label, (
            "pad_collate changed the sequences it was given; build new tensors instead of writing into the inputs")


def call_with_empty(student, batch, **kw):
    try:
        return unpack(student.call("pad_collate", batch, **kw))
    except NotImplementedYet:
        raise
    except StudentError as err:
        raise AssertionError(f"pad_collate must accept empty sequences (length 0), but your code raised "
                             f"{err.type_name}: {err.message[:300]}") from None


@pytest.mark.points(1)
def test_empty_sequences(student):
    """Handles empty sequences"""
    seqs = [[], [4, 2], []]
    padded, lengths, _ = call_with_empty(student, batch_of(seqs, [1, 1, 0]), pad_value=9)
    assert lengths.tolist() == [0, 2, 0], "an empty sequence has length 0"
    assert torch.equal(padded.long(), padded_like(seqs, 9)), "an empty sequence becomes a row of pad_value only"
    padded, lengths, _ = call_with_empty(student, batch_of([[], []], [0, 1]))
    assert list(padded.shape) == [2, 0] and lengths.tolist() == [0, 0], (
        "a batch of empty sequences pads to shape [B, 0]")
    assert padded.dtype == torch.int64, (
        f"a batch of only empty sequences must still give an int64 `padded`, got {padded.dtype} "
        "(a tensor built from empty lists without a dtype is float32)")


@probe
def loader_batches(mod, seqs, labels, batch_size, **options):
    dataset = [(torch.tensor(s, dtype=torch.int64), label) for s, label in zip(seqs, labels, strict=True)]
    loader = mod.make_loader(dataset, batch_size=batch_size, **options)
    if not isinstance(loader, torch.utils.data.DataLoader):
        return type(loader).__name__
    return [tuple(batch) if isinstance(batch, (list, tuple)) else batch for batch in loader]


def loader_rows(student, seqs, batch_size, **options):
    """make_loader's batches, and per batch the sequences it holds (tokens are never 0, the padding is)."""
    try:
        batches = student.probe(loader_batches, seqs, [i % 2 for i in range(len(seqs))], batch_size, **options)
    except NotImplementedYet:
        raise
    except StudentError as err:
        if err.is_a("RuntimeError") and "stack expects each tensor to be equal size" in err.message:
            raise AssertionError("make_loader does not batch with pad_collate: the DataLoader's default collate "
                                 "cannot stack sequences of different lengths; pass collate_fn=pad_collate") from None
        raise
    assert not isinstance(batches, str), f"make_loader must return a DataLoader, got {batches}"
    for batch in batches:
        assert isinstance(batch, tuple) and len(batch) == 3 and isinstance(batch[0], torch.Tensor), (
            "each batch must be pad_collate's (padded, lengths, labels)")
    rows = [[[t for t in row if t != 0] for row in batch[0].long().tolist()] for batch in batches]
    return batches, rows


def members(batches_rows):
    """Which samples each batch holds, ignoring the order inside the batch."""
    return [sorted(rows) for rows in batches_rows]


@pytest.mark.points(1)
def test_loader_pads_batches(student):
    """make_loader batches with pad_collate, in order, and passes shuffle on"""
    seqs = [[1], [2, 3, 4], [5, 6], [7, 8, 9, 10], [11]]
    chunks = [seqs[i: i + 2] for i in range(0, len(seqs), 2)]
    batches, rows = loader_rows(student, seqs, 2)
    assert len(batches) == 3, f"5 samples with batch_size=2 make 3 batches, got {len(batches)}"
    flat = [seq for batch in rows for seq in batch]
    if flat != seqs and sorted(flat) == sorted(seqs):
        if members(rows) == members(chunks):
            raise AssertionError("make_loader's batches hold the right samples in the wrong order; the collate_fn "
                                 "must keep the order of the samples inside a batch")
        raise AssertionError("make_loader shuffles although shuffle=False; pass its `shuffle` argument on to the "
                             "DataLoader instead of shuffle=True")
    for batch, chunk in zip(batches, chunks, strict=True):
        assert torch.equal(batch[0].long(), padded_like(chunk, 0)), (
            "make_loader's batches must be pad_collate's output: consecutive samples (shuffle=False), each "
            "sequence padded at the end with 0")
    many = [[i] * (1 + i % 3) for i in range(1, 17)]
    _, rows = loader_rows(student, many, 4, shuffle=True)
    assert sorted(seq for batch in rows for seq in batch) == sorted(many), (
        "with shuffle=True every sample must still appear exactly once per epoch")
    assert members(rows) != members([many[i: i + 4] for i in range(0, len(many), 4)]), (
        "make_loader ignores `shuffle=True`; pass its `shuffle` argument on to the DataLoader")
