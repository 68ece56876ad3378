"""Fuzzing what the judge reads from students: submissions, notebooks, and the runner's answers.

Properties: reading never raises anything but the documented outcomes (a
problem or note for a submission, :class:`WireError` for the wire, a check
failure in the student's terms for an answer), in bounded time, whatever the
warnings filter (``-W error`` included). Each ``@example`` is a bug these
tests found.

The default run is a few seconds per test and deterministic. A longer, random
run: ``DLGRADE_FUZZ_EXAMPLES=5000 .venv/bin/pytest -m fuzz tests/test_fuzz.py``.
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from grader import wire
from grader.checks import MissingName, StudentError, Unsendable
from grader.judge.outcomes import LoadFailed, RunnerCrash
from grader.judge.reported_errors import describe_cell
from grader.judge.student import ExerciseRun
from grader.sandbox.exit_codes import CONNECTION_LOST
from grader.sandbox.slot import Layer, Runner, RunnerExit
from grader.sandbox.spec import RunnerLimits, RunnerSpec
from grader.submission.load import Submission, load_submission
from grader.submission.notebook import MAX_CELLS, MAX_JSON_VALUES, Notebook, read_notebook
from grader.submission.static import forbidden_uses, syntax_problem

pytestmark = pytest.mark.fuzz

LONG = "DLGRADE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("DLGRADE_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),  # per example: the bounded-time property, with room for a loaded machine
    derandomize=not LONG,  # the default run is the same every time; the long run explores
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
FUZZ_CHEAP = settings(FUZZ, max_examples=4 * EXAMPLES)  # for tests that take about a millisecond an example
EXERCISES = ["pad_collate", "distributed_partition"]


@contextmanager
def strict_warnings() -> Iterator[None]:
    """As under ``python -W error``: a warning that escapes becomes an exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ------------------------------------------------------------------ strategies

JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20)
ANY_JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=20)
CODE = st.lists(st.sampled_from([
    "def pad_collate(batch, pad_value=0):\n    return batch\n", "import torch\n", "x = (\n", "%time x = 1\n", "!ls\n",
    "%%bash\nls\n", "x?\n", "%pip install torch\n", "y = !ls\n", "'\\d'\n", "\\\n", "\x00", "\r", "\x1c", "\u2028",
    "\ufeff", "\x0c", "\t", "  x\n", "def f(:\n", "'''", "@\n", "class A:\n    pass\n", "$", "-" * 50_000 + "1\n",
]) | st.text(max_size=20), max_size=6).map("".join)
SOURCE = CODE | st.lists(CODE | ANY_JSON, max_size=4) | ANY_JSON
CELL_TYPE = st.sampled_from(["code", "markdown", "raw", "heading", "", None, 3])
CELL = st.fixed_dictionaries({"cell_type": CELL_TYPE}, optional={
    "source": SOURCE, "input": SOURCE, "metadata": ANY_JSON, "outputs": ANY_JSON, "execution_count": ANY_JSON,
    "id": st.sampled_from(["a", "a", "b"]) | ANY_JSON, "prompt_number": ANY_JSON, "level": ANY_JSON})
CELLS = st.lists(CELL | ANY_JSON, max_size=5)
NOTEBOOK = st.fixed_dictionaries({}, optional={
    "cells": CELLS | ANY_JSON,
    "worksheets": st.lists(st.fixed_dictionaries({}, optional={"cells": CELLS, "metadata": ANY_JSON}) | ANY_JSON,
                           max_size=2) | ANY_JSON,
    "nbformat": st.sampled_from([1, 2, 3, 4, 5, 99, 0, -1, "4", 4.0, None, True, 2**70]) | ANY_JSON,
    "nbformat_minor": st.sampled_from([0, 1, 4, 5, 99, -1, "x", None]) | ANY_JSON,
    "metadata": ANY_JSON})
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "shift_jis"])
NOTEBOOK_BYTES = st.one_of(
    st.tuples(NOTEBOOK | ANY_JSON, ENCODING).map(
        lambda t: json.dumps(t[0], ensure_ascii=False).encode(t[1], "replace")),
    st.binary(max_size=300),
    st.tuples(NOTEBOOK, st.integers(0, 300), st.binary(max_size=8)).map(
        lambda t: json.dumps(t[0]).encode()[:t[1]] + t[2]),  # cut short, then garbage
)


def notebook_of(*sources: str) -> bytes:
    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None} for s in sources]
    return json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}).encode()


PY_TEXT = st.sampled_from([
    "def pad_collate(batch, pad_value=0):\n    return batch\n", "# -*- coding: latin-1 -*-\nx = 'é'\n",
    "# coding: utf-16\nx = 1\n", "# coding: nope\n", "\ufeff# coding: latin-1\n", "from helpers import f\n", "x = (\n",
    "\x00", "def f(:\n", "import torch.nn.functional as F\nF.one_hot\n"]) | st.text(max_size=60)
CONTENT = st.one_of(
    st.binary(max_size=200),
    st.tuples(PY_TEXT, ENCODING).map(lambda t: t[0].encode(t[1], "replace")),
    st.tuples(st.binary(max_size=4), PY_TEXT).map(lambda t: t[0] + t[1].encode("utf-8", "surrogatepass")),
    st.builds(notebook_of, CODE),
    NOTEBOOK_BYTES,
)
FILE_NAME = st.sampled_from([
    "pad_collate.py", "pad_collate.ipynb", "Pad_Collate.py", "padcollate.py", "pad_collate.py.txt", "homework.ipynb",
    "distributed_partition.py", "helpers.py", "torch.py", "conftest.py", "__init__.py", ".hidden.py",
    "__MACOSX/pad_collate.py", "sub/pad_collate.py", "a/b/pad_collate.ipynb", "PAD_COLLATE.IPYNB", "pädcollate.py",
    "pad collate.py", "class.py", "x.zip"]) | st.text(min_size=1, max_size=20)
ZIP_NAME = FILE_NAME | st.sampled_from([
    "../pad_collate.py", "/abs/pad_collate.py", "C:\\pad_collate.py", "a\\..\\pad_collate.py", "sub\\pad_collate.py",
    "./pad_collate.py", "pad_collate.py/", "..", "a/../../x.py", "\x00", "pad_collate.py\x00.txt"])
COMPRESSION = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
# (which header, which of its fields, new value): lying sizes, flags (encryption, UTF-8 names), methods, offsets
ZIP_FIELDS = {b"PK\x01\x02": [(4, "H"), (6, "H"), (8, "H"), (10, "H"), (20, "I"), (24, "I"), (28, "H"), (30, "H"),
                              (32, "H"), (38, "I"), (42, "I")],
              b"PK\x03\x04": [(6, "H"), (8, "H"), (18, "I"), (22, "I"), (26, "H"), (28, "H")],
              b"PK\x05\x06": [(8, "H"), (10, "H"), (12, "I"), (16, "I"), (20, "H")]}
ZIP_EDITS = st.lists(st.tuples(st.sampled_from(sorted(ZIP_FIELDS)), st.integers(0, 20), st.integers(0, 2**32 - 1)),
                     max_size=4)


def zip_bytes(members: list[tuple[str, bytes, int]], edits: list[tuple[bytes, int, int]], flips: list[int],
              cut: int | None) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are allowed, and wanted
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data, method in members:
                info = zipfile.ZipInfo(name or "x")
                info.compress_type = method
                zf.writestr(info, data)
    raw = bytearray(buf.getvalue())
    for signature, which, value in edits:
        starts = [i for i in range(len(raw) - 3) if raw[i:i + 4] == signature]
        if starts:
            offset, fmt = ZIP_FIELDS[signature][which % len(ZIP_FIELDS[signature])]
            at, size = starts[which % len(starts)] + offset, struct.calcsize("<" + fmt)
            raw[at:at + size] = struct.pack("<" + fmt, value % (1 << (8 * size)))[: max(len(raw) - at, 0)]
    for flip in flips:
        if raw:
            raw[flip % len(raw)] ^= 0xFF
    return bytes(raw[: cut % (len(raw) + 1)] if cut is not None else raw)


# ------------------------------------------------------------------ (1) the submission loader


def check_submission(sub: Submission) -> None:
    """What the judge does with a loaded submission must work on whatever came out."""
    assert isinstance(sub.id, str) and all(isinstance(n, str) for n in sub.notes)
    for exercise, source in sub.files.items():
        assert exercise in EXERCISES
        assert (source.text is None) != (source.problem is None), source
        if source.text is not None:
            syntax_problem(source.text, source.name)
            forbidden_uses(source.text, ("torch.nn.functional.one_hot",))
        assert all(isinstance(n, str) and isinstance(t, str) for n, t in source.helpers)


def load(path: Path) -> Submission:
    with strict_warnings():
        return load_submission(path, EXERCISES)


@FUZZ
@given(st.dictionaries(FILE_NAME, CONTENT, max_size=6))
@example({"pad_collate.ipynb": notebook_of("-" * 100_000 + "1")})  # ast.parse: MemoryError escaped
@example({"homework.ipynb": b"[" * 100_000})  # json.loads: RecursionError escaped
@example({"pad_collate.ipynb": notebook_of("x = 1\u2028y = 2")})  # IPython's UserWarning escaped under -W error
def test_folder_submission(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "student"
        root.mkdir()
        for name, data in files.items():
            try:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
            except (OSError, ValueError):
                pass  # a name this filesystem cannot hold
        check_submission(load(root))


@FUZZ
@given(st.lists(st.tuples(ZIP_NAME, CONTENT, COMPRESSION), max_size=5), ZIP_EDITS,
       st.lists(st.integers(0, 10**6), max_size=3), st.none() | st.integers(0, 10**6))
@example([("\x00", b"x", zipfile.ZIP_STORED)], [], [], None)  # zipfile cuts names at NUL: is_dir() raised IndexError
def test_zip_submission(members: list[tuple[str, bytes, int]], edits: list[tuple[bytes, int, int]], flips: list[int],
                        cut: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "student.zip"
        path.write_bytes(zip_bytes(members, edits, flips, cut))
        check_submission(load(path))


@FUZZ
@given(FILE_NAME, CONTENT)
def test_single_file_submission(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except (OSError, ValueError):
            return
        check_submission(load(path))


# ------------------------------------------------------------------ (2) the notebook reader


def read(data: bytes) -> tuple[Notebook | None, str | None, str, set[str]]:
    notebook, problem = read_notebook(data, "x.ipynb")
    assert (notebook is None) != (problem is None)
    if notebook is None:
        assert isinstance(problem, str)
        return notebook, problem, "", set()
    assert all(type(n) is int and type(s) is str for n, s in notebook.cells)
    return notebook, problem, notebook.python(), notebook.defines()


@FUZZ
@given(NOTEBOOK_BYTES)
@example(b"[" * 100_000)  # RecursionError escaped
@example(notebook_of("-" * 100_000 + "1"))  # MemoryError escaped
@example(notebook_of("x = 1\u2028y = 2"))  # UserWarning escaped under -W error
@example(notebook_of("import re\nP = re.compile('\\d')\ndef f(b):\n    pass"))  # defined nothing under -W error
@example(b'{"cells": [{"cell_type": "code"}, {"cell_type": "markdown"}]}')  # nbformat's warnings changed the cells
def test_notebook_reader(data: bytes) -> None:
    """Whatever the bytes: a notebook or a problem, and the same outcome whatever the warnings filter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = read(data)
    with strict_warnings():
        assert read(data) == expected


def test_notebook_with_too_many_values_is_refused_before_parsing() -> None:
    data = b'{"cells": [], "metadata": {"x": [' + b"[]," * (MAX_JSON_VALUES + 1) + b"[]]}}"
    notebook, problem = read_notebook(data, "x.ipynb")
    assert notebook is None and problem is not None and "clear its outputs" in problem


def test_notebook_with_too_many_cells_is_refused_before_validating() -> None:
    notebook, problem = read_notebook(notebook_of(*["x = 1"] * (MAX_CELLS + 1)), "x.ipynb")
    assert notebook is None and problem == f"x.ipynb has {MAX_CELLS + 1} cells; notebooks may have at most {MAX_CELLS}"


# ------------------------------------------------------------------ (3) the wire decoder


def frame(doc: Any, blobs: list[bytes]) -> bytes:
    text = json.dumps(doc).encode()
    return struct.pack(">II", len(text), len(blobs)) + text + b"".join(struct.pack(">I", len(b)) + b for b in blobs)


def tagged(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Documents shaped like the encoder's, with any field hostile."""
    anything = JSON_LEAF | inner
    blob = st.integers(-1, 3) | anything
    shape = st.lists(st.integers(-2, 2**62) | anything, max_size=4) | anything
    return st.one_of(
        st.fixed_dictionaries({"$": st.just("tensor")}, optional={
            "dtype": st.sampled_from(["float32", "int64", "bool", "bfloat16", "complex64", "qint8", "bits8", "uint16",
                                      "float8_e4m3fn", "complex32", "float", "Tensor", "__class__"]) | anything,
            "shape": shape, "requires_grad": anything, "blob": blob}),
        st.fixed_dictionaries({"$": st.sampled_from(["ndarray", "npscalar"])}, optional={
            "dtype": st.sampled_from(["<f8", "<i4", "|b1", "O", "<U3", "S0", "V4", "<M8[D]", "(2,)f8", "i1,i1",
                                      "[('a','<i4')]", "V2147483648", ""]) | anything,
            "shape": shape, "blob": blob}),
        st.fixed_dictionaries({"$": st.sampled_from(["tuple", "dict", "int", "bytes", "dtype", "opaque", "?", None])},
                              optional={"v": st.lists(anything | st.lists(anything, max_size=3), max_size=3) | anything,
                                        "hex": st.text("0123456789abcdefx-_ ", max_size=20) | anything, "blob": blob,
                                        "name": anything, "type": anything, "repr": anything}),
        st.dictionaries(st.text(max_size=5), anything, max_size=3),
        st.lists(anything, max_size=4))


WIRE_DOC = st.recursive(JSON_LEAF, tagged, max_leaves=15)
BLOBS = st.lists(st.binary(max_size=40) | st.sampled_from([bytes(4), bytes(8), bytes(16)]), max_size=4)
FRAME_BYTES = st.binary(max_size=200) | st.tuples(WIRE_DOC, BLOBS, st.integers(0, 300), st.binary(max_size=8)).map(
    lambda t: frame(t[0], t[1])[:t[2]] + t[3])


def decode_bytes(raw: bytes) -> None:
    try:
        wire.decode(*wire.unpack_frame(raw))
    except wire.WireError:
        pass


@FUZZ_CHEAP
@given(FRAME_BYTES)
@example(struct.pack(">II", 100_000, 0) + b"[" * 100_000)
@example(struct.pack(">II", 0xFFFFFFFF, 0xFFFFFFFF))
def test_wire_bytes(raw: bytes) -> None:
    decode_bytes(raw)


@FUZZ_CHEAP
@given(WIRE_DOC, BLOBS)
@example({"$": "ndarray", "dtype": ",".join(["i1"] * 100_000), "shape": [1], "blob": 0}, [bytes(100_000)])
def test_wire_documents(doc: Any, blobs: list[bytes]) -> None:
    decode_bytes(frame(doc, blobs))


@FUZZ
@given(FRAME_BYTES)
def test_wire_over_a_socket(raw: bytes) -> None:
    """The judge's own path: Runner.request, which turns everything into RunnerTimeout or RunnerDied."""
    judge, peer = socket.socketpair()
    try:
        peer.sendall(raw)
        peer.shutdown(socket.SHUT_WR)
        try:
            Runner(judge).request(None, [], 5.0)
        except Exception as exc:  # noqa: BLE001 - asserted just below
            assert type(exc).__name__ in ("RunnerDied", "RunnerTimeout"), repr(exc)
    finally:
        judge.close()
        peer.close()


# ------------------------------------------------------------------ the judge reading a runner's answers


class ScriptedRunner(Runner):
    """A runner that answers with the given documents, one per request."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers

    def request(self, doc: Any, blobs: list[bytes], timeout: float) -> tuple[Any, list[bytes]]:
        return (self.answers.pop(0) if self.answers else {"ok": None}), []

    def close(self) -> None:
        pass


class ScriptedSlot:
    """Hands out one scripted runner per start."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.layers: list[Layer] = []

    def start(self, spec: RunnerSpec) -> Runner:
        return ScriptedRunner(self.answers)

    def stop(self, grace: float) -> RunnerExit:
        return RunnerExit("exit", code=CONNECTION_LOST)

    def close(self) -> None:
        pass


ERROR = st.fixed_dictionaries({}, optional={
    "mro": st.lists(st.sampled_from(["ValueError", "NotImplementedError"]) | ANY_JSON, max_size=3) | ANY_JSON,
    "message": ANY_JSON, "traceback": st.lists(st.dictionaries(st.sampled_from(["line", "function", "code", "cell"]),
                                                               ANY_JSON) | ANY_JSON, max_size=3) | ANY_JSON}) | ANY_JSON
ANSWER = st.one_of(
    st.fixed_dictionaries({}, optional={"raised": ERROR, "missing": ANY_JSON, "unsendable": ANY_JSON,
                                        "output": ANY_JSON, "ok": st.just(None) | ANY_JSON}),
    ANY_JSON)
LOADED = st.one_of(
    st.fixed_dictionaries({"loaded": st.just(True)}, optional={
        "cells": st.lists(st.fixed_dictionaries({}, optional={"cell": ANY_JSON, "status": ANY_JSON,
                                                              "message": ANY_JSON}) | ERROR, max_size=3) | ANY_JSON,
        "load_error": ERROR, "output": ANY_JSON}),
    ANY_JSON)


@FUZZ_CHEAP
@given(LOADED, st.lists(ANSWER, max_size=3))
@example([1], [])  # the load answer was not a dict: doc.get raised AttributeError
@example({"loaded": True}, [{"raised": [1]}])  # err.get raised AttributeError
@example({"loaded": True}, [{"raised": {"mro": 5}}])  # iterating an int raised TypeError
@example({"loaded": True, "cells": [{"status": "error", "mro": {}}]}, [])  # describe_error: mro[0] raised KeyError
@example({"loaded": True}, [{"missing": "f"}, {"ok": 7}])  # the names to suggest from were not a list
def test_answers_fail_in_the_students_terms(loaded: Any, answers: list[Any]) -> None:
    run = ExerciseRun(ScriptedSlot([loaded, *answers]), RunnerSpec("pad_collate", "", RunnerLimits(2**30, 64)), 60.0)
    for _ in range(len(answers)):
        try:
            run.ask({"op": "call", "name": "f", "args": [], "kwargs": {}}, float("inf"))
        except LoadFailed as failed:
            assert failed.status == "crashed"
            break
        except (Unsendable, StudentError, MissingName, RunnerCrash):
            pass
    for record in run.cell_records:
        assert isinstance(describe_cell(record), str)
