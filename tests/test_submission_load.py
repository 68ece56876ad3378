"""From a path (file, folder, zip) to a Submission matched to exercises (grader/submission/load.py)."""

from __future__ import annotations

import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_files

from grader.course import load_course
from grader.submission import load
from grader.submission.load import Submission, decode_source, load_submission

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ["pad_collate", "distributed_partition"]  # two exercises of the real manifest
PAD = "def pad_collate(batch, pad_value=0):\n    return batch\n"
DIST = "def partition_indices(n, r, k):\n    return []\n"


def test_the_real_manifest_names_the_exercises_used_here() -> None:
    assert set(EXERCISES) <= set(load_course(ROOT / "course.toml").names)


def test_with_every_exercise_of_the_real_manifest(tmp_path: Path) -> None:
    names = load_course(ROOT / "course.toml").names
    root = write_files(tmp_path / "s", {"sub/pad_collate.py": PAD, "Distributed_Partition.py": DIST})
    sub = load_submission(root, names)
    assert graded(sub) == {"pad_collate": ("sub/pad_collate.py", PAD, None)}
    assert sub.near_misses == {"distributed_partition": "Distributed_Partition.py"}




def make_zip(path: Path, members: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return path


def graded(sub: Submission) -> dict[str, tuple[str, str | None, str | None]]:
    return {ex: (f.name, f.text, f.problem) for ex, f in sub.files.items()}


@pytest.fixture
def alarm() -> Iterator[None]:
    """Turn a hang (a blocking open of a fifo, say) into a failure."""

    def boom(*_: object) -> None:
        raise TimeoutError("load_submission hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------------ single file


def test_single_py_file(tmp_path: Path) -> None:
    f = write_files(tmp_path, {"pad_collate.py": PAD}) / "pad_collate.py"
    sub = load_submission(f, EXERCISES)
    assert sub.id == "pad_collate.py"
    assert graded(sub) == {"pad_collate": ("pad_collate.py", PAD, None)}
    assert sub.notes == ()
    assert sub.near_misses == {}


def test_single_file_with_student_id(tmp_path: Path) -> None:
    f = write_files(tmp_path, {"distributed_partition.py": DIST}) / "distributed_partition.py"
    sub = load_submission(f, EXERCISES, student_id="alice")
    assert sub.id == "alice"
    assert graded(sub) == {"distributed_partition": ("distributed_partition.py", DIST, None)}


def test_single_file_that_is_not_python(tmp_path: Path) -> None:
    f = write_files(tmp_path, {"essay.txt": "hello"}) / "essay.txt"
    sub = load_submission(f, EXERCISES)
    assert sub.files == {}
    assert len(sub.notes) == 1 and "not a Python file" in sub.notes[0]


def test_single_file_over_the_size_cap(tmp_path: Path) -> None:
    f = write_files(tmp_path, {"pad_collate.py": "x = 1\n" * (load.MAX_SOURCE_BYTES // 6 + 10)}) / "pad_collate.py"
    sub = load_submission(f, EXERCISES)
    src = sub.files["pad_collate"]
    assert src.text is None
    assert src.problem is not None and "1.0 MiB" in src.problem and "at most 1 MiB" in src.problem


def test_nonexistent_path(tmp_path: Path) -> None:
    sub = load_submission(tmp_path / "nobody", EXERCISES)
    assert sub.files == {}
    assert sub.notes == ("nobody does not exist",)


# ------------------------------------------------------------------ folders


def test_folder_with_nested_subfolder(tmp_path: Path) -> None:
    root = write_files(tmp_path / "bob", {
        "README.md": "notes",
        "src/deeper/pad_collate.py": PAD,
        "distributed_partition.py": DIST,
        "data/train.csv": "a,b\n1,2\n",
    })
    sub = load_submission(root, EXERCISES)
    assert sub.id == "bob"
    assert graded(sub) == {
        "pad_collate": ("src/deeper/pad_collate.py", PAD, None),
        "distributed_partition": ("distributed_partition.py", DIST, None),
    }
    assert sub.notes == ()


def test_folder_skips_macosx_hidden_and_tool_folders(tmp_path: Path) -> None:
    # each decoy is shallower than the real file, so it would win if it were not skipped
    root = write_files(tmp_path / "s", {
        "__MACOSX/pad_collate.py": "decoy = 1\n",
        "._pad_collate.py": "decoy = 2\n",
        ".hidden/pad_collate.py": "decoy = 3\n",
        "__pycache__/pad_collate.py": "decoy = 4\n",
        ".git/pad_collate.py": "decoy = 5\n",
        "a/b/pad_collate.py": PAD,
        ".ipynb_checkpoints/distributed_partition.py": "decoy = 6\n",
    })
    sub = load_submission(root, EXERCISES)
    assert graded(sub) == {"pad_collate": ("a/b/pad_collate.py", PAD, None)}
    assert sub.notes == ()


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    sub = load_submission(tmp_path / "empty", EXERCISES)
    assert sub.files == {}
    assert sub.notes == ("the submission is empty",)


def test_folder_with_only_hidden_files_is_empty(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {".DS_Store": "x", "__MACOSX/._pad_collate.py": "x"})
    assert load_submission(root, EXERCISES).notes == ("the submission is empty",)


def test_folder_without_exercise_files_gives_no_match(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"utils.py": "x = 1\n", "notes.txt": "hi"})
    sub = load_submission(root, EXERCISES)
    assert sub.files == {}
    assert sub.near_misses == {}
    assert sub.notes == ()


def test_symlinked_file_is_not_followed(tmp_path: Path) -> None:
    secret = write_files(tmp_path, {"secret.py": "TOKEN = 'hunter2'\n"}) / "secret.py"
    root = tmp_path / "s"
    root.mkdir()
    (root / "pad_collate.py").symlink_to(secret)
    sub = load_submission(root, EXERCISES)
    assert "pad_collate" not in sub.files
    assert all("hunter2" not in (f.text or "") for f in sub.files.values())


def test_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "outside", {"pad_collate.py": "TOKEN = 'x'\n"})
    root = write_files(tmp_path / "s", {"distributed_partition.py": DIST})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    sub = load_submission(root, EXERCISES)
    assert list(sub.files) == ["distributed_partition"]


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "SIGALRM"), reason="POSIX only")
def test_fifo_is_not_opened(tmp_path: Path, alarm: None) -> None:
    root = write_files(tmp_path / "s", {"distributed_partition.py": DIST})
    os.mkfifo(root / "pad_collate.py")  # opening it for reading would block forever
    sub = load_submission(root, EXERCISES)
    assert list(sub.files) == ["distributed_partition"]


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_files(tmp_path / "s", {"pad_collate.py": PAD, "distributed_partition.py": DIST})

    def denied(path: object, limit: int) -> bytes:
        if str(path).endswith("pad_collate.py"):
            raise PermissionError(13, "Permission denied")
        return Path(str(path)).read_bytes()[:limit]

    monkeypatch.setattr(load, "_read_capped", denied)
    sub = load_submission(root, EXERCISES)
    problem = sub.files["pad_collate"].problem
    assert problem is not None and "could not be read" in problem and "Permission denied" in problem
    assert sub.files["distributed_partition"].text == DIST


def test_folder_over_the_member_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_ZIP_MEMBERS", 5)
    root = write_files(tmp_path / "s", {"pad_collate.py": PAD, **{f"data/{i}.png": "x" for i in range(10)}})
    sub = load_submission(root, EXERCISES)
    assert sub.files["pad_collate"].text == PAD  # top-level files are listed first
    assert any("more than 5 files" in n for n in sub.notes)


# ------------------------------------------------------------------ duplicates and near misses


def test_duplicates_shallowest_wins_with_a_note(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"old/pad_collate.py": "old = 1\n", "pad_collate.py": PAD,
                                  "x/y/pad_collate.py": "older = 1\n"})
    sub = load_submission(root, EXERCISES)
    assert graded(sub) == {"pad_collate": ("pad_collate.py", PAD, None)}
    assert sub.notes == ("old/pad_collate.py: ignored, pad_collate.py is graded for pad_collate",
                         "x/y/pad_collate.py: ignored, pad_collate.py is graded for pad_collate")


def test_duplicates_at_the_same_depth_first_by_name(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"b/pad_collate.py": "b = 1\n", "a/pad_collate.py": PAD})
    sub = load_submission(root, EXERCISES)
    assert sub.files["pad_collate"].name == "a/pad_collate.py"
    assert sub.notes == ("b/pad_collate.py: ignored, a/pad_collate.py is graded for pad_collate",)


@pytest.mark.parametrize("name", ["padcollate.py", "Pad_Collate.py", "pad-collate.py", "pad_colate.py",
                                  "PAD_COLLATE.PY", "pad_collate.py.txt", "sub/PadCollate.py"])
def test_near_miss_names_are_suggested_not_graded(tmp_path: Path, name: str) -> None:
    root = write_files(tmp_path / "s", {name: PAD, "distributed_partition.py": DIST})
    sub = load_submission(root, EXERCISES)
    assert list(sub.files) == ["distributed_partition"]
    assert sub.near_misses == {"pad_collate": name}
    assert sub.notes == (f"{name}: not graded; did you mean pad_collate.py? Rename it to pad_collate.py",)


def test_near_miss_for_the_other_exercise(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"Distributed-Partition.py": DIST})
    sub = load_submission(root, EXERCISES)
    assert sub.near_misses == {"distributed_partition": "Distributed-Partition.py"}


def test_no_near_miss_when_the_right_file_exists(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"pad_collate.py": PAD, "padcollate.py": "old = 1\n"})
    sub = load_submission(root, EXERCISES)
    assert sub.files["pad_collate"].text == PAD
    assert sub.near_misses == {}
    assert sub.notes == ()


@pytest.mark.parametrize("name", ["collate.py", "helpers.py", "pad_collate_test_data.csv", "pad_collate.ipynb.bak"])
def test_unrelated_names_are_not_near_misses(tmp_path: Path, name: str) -> None:
    root = write_files(tmp_path / "s", {name: "x = 1\n"})
    sub = load_submission(root, EXERCISES)
    assert sub.near_misses == {}
    assert sub.notes == ()


def test_own_exercise_list(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"Lab_One.py": "x = 1", "lab_two.py": "y = 2", "lab_three.py": "z = 3"})
    sub = load_submission(root, ["lab_one", "lab_two"])
    assert graded(sub) == {"lab_two": ("lab_two.py", "y = 2", None)}
    assert sub.near_misses == {"lab_one": "Lab_One.py"}


# ------------------------------------------------------------------ encodings


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"pad_collate.py": b"# ok\n\n\ns = 'caf\xe9'\n"})
    src = load_submission(root, EXERCISES).files["pad_collate"]
    assert src.text is None
    assert src.problem == ("pad_collate.py is not UTF-8 text: byte 0xe9 on line 4; "
                           "save it as UTF-8 in your editor and submit again")


@pytest.mark.parametrize("data,line", [(b"s = '\xe9'\n", 1), (b"x = 1\n# \xff\n", 2),
                                       (b"\xef\xbb\xbf\n\nx = '\xe9'\n", 3)])
def test_non_utf8_in_the_first_lines_or_after_a_bom(data: bytes, line: int) -> None:
    text, problem = decode_source(data, "m.py")
    assert text is None
    assert problem is not None and problem.startswith("m.py is not UTF-8 text")
    assert f"on line {line};" in problem


def test_pep263_latin1_file_decodes(tmp_path: Path) -> None:
    data = b"# -*- coding: latin-1 -*-\nname = 'Andr\xe9'\n"
    root = write_files(tmp_path / "s", {"pad_collate.py": data})
    src = load_submission(root, EXERCISES).files["pad_collate"]
    assert src.problem is None
    assert src.text == "# -*- coding: latin-1 -*-\nname = 'André'\n"


def test_utf8_bom_decodes_without_the_bom(tmp_path: Path) -> None:
    root = write_files(tmp_path / "s", {"pad_collate.py": b"\xef\xbb\xbf" + PAD.encode()})
    src = load_submission(root, EXERCISES).files["pad_collate"]
    assert src.problem is None
    assert src.text == PAD


def test_utf8_text_is_kept_exactly() -> None:
    source = "s = 'ünïcödé ✓ 🐍'\r\nx = 1\n"
    assert decode_source(source.encode(), "m.py") == (source, None)


@pytest.mark.parametrize("data", [b"# coding: klingon\nx = 1\n", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n"])
def test_unknown_or_contradictory_encoding(data: bytes) -> None:
    text, problem = decode_source(data, "m.py")
    assert text is None
    assert problem is not None and "declares an encoding" in problem


def test_declared_encoding_that_does_not_fit() -> None:
    text, problem = decode_source("# coding: ascii\n\nx = 'é'\n".encode(), "m.py")
    assert text is None
    assert problem is not None and "not valid ascii text" in problem and "line 3" in problem


# ------------------------------------------------------------------ zips


def test_zip(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "carol.zip", {"pad_collate.py": PAD, "distributed_partition.py": DIST, "x.csv": "1"})
    sub = load_submission(z, EXERCISES)
    assert sub.id == "carol.zip"
    assert graded(sub) == {"pad_collate": ("pad_collate.py", PAD, None),
                           "distributed_partition": ("distributed_partition.py", DIST, None)}
    assert sub.notes == ()


def test_zip_with_a_top_level_folder_and_directory_entries(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"carol/": "", "carol/pad_collate.py": PAD, "__MACOSX/carol/._pad_collate.py": "x",
                                      "carol/.hidden/distributed_partition.py": "decoy = 1\n"})
    sub = load_submission(z, EXERCISES)
    assert graded(sub) == {"pad_collate": ("carol/pad_collate.py", PAD, None)}
    assert sub.notes == ()


@pytest.mark.parametrize("evil", ["../pad_collate.py", "/pad_collate.py", "a/../../pad_collate.py",
                                  "..\\pad_collate.py", "C:/pad_collate.py", "c:pad_collate.py"])
def test_zip_members_outside_the_folder_are_refused(tmp_path: Path, evil: str) -> None:
    z = make_zip(tmp_path / "s.zip", {evil: "evil = 1\n", "distributed_partition.py": DIST})
    sub = load_submission(z, EXERCISES)
    assert list(sub.files) == ["distributed_partition"]
    assert sub.notes == (f"{evil}: refused (a path outside the submission folder)",)
    assert not (tmp_path.parent / "pad_collate.py").exists()


def test_zip_with_evil_and_good_members(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"../evil.py": "x", "/abs.py": "y", "pad_collate.py": PAD})
    sub = load_submission(z, EXERCISES)
    assert graded(sub) == {"pad_collate": ("pad_collate.py", PAD, None)}
    assert sub.notes == ("../evil.py: refused (a path outside the submission folder)",
                         "/abs.py: refused (a path outside the submission folder)")


def test_zip_member_over_the_size_cap(tmp_path: Path) -> None:
    big = "x = 1\n" * (load.MAX_SOURCE_BYTES // 6 + 100)
    z = make_zip(tmp_path / "s.zip", {"pad_collate.py": big, "distributed_partition.py": DIST})
    sub = load_submission(z, EXERCISES)
    src = sub.files["pad_collate"]
    assert src.text is None
    assert src.problem == f"pad_collate.py is {len(big) / 2**20:.1f} MiB; source files may be at most 1 MiB"
    assert sub.files["distributed_partition"].text == DIST


@pytest.mark.parametrize("content", [b"this is not a zip at all", b"PK\x03\x04" + bytes(100), b""])
def test_corrupt_zip_is_a_note_not_an_exception(tmp_path: Path, content: bytes) -> None:
    z = tmp_path / "broken.zip"
    z.write_bytes(content)
    sub = load_submission(z, EXERCISES)
    assert sub.files == {}
    assert len(sub.notes) == 1 and sub.notes[0].startswith("broken.zip is not a readable zip file")


def test_truncated_zip(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"pad_collate.py": PAD * 50})
    z.write_bytes(z.read_bytes()[:-30])  # the central directory is cut
    sub = load_submission(z, EXERCISES)
    assert sub.files == {}
    assert "not a readable zip file" in sub.notes[0]


def test_corrupt_member_is_a_problem_for_that_exercise_only(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"pad_collate.py": PAD * 200, "distributed_partition.py": DIST})
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("pad_collate.py")
    raw = bytearray(z.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2, start + info.compress_size - 2):
        raw[i] ^= 0x5A
    z.write_bytes(bytes(raw))
    sub = load_submission(z, EXERCISES)
    problem = sub.files["pad_collate"].problem
    assert sub.files["pad_collate"].text is None
    assert problem is not None and problem.startswith("pad_collate.py could not be read")
    assert sub.files["distributed_partition"].text == DIST


def test_encrypted_member(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"pad_collate.py": PAD, "distributed_partition.py": DIST}, zipfile.ZIP_STORED)
    raw = bytearray(z.read_bytes())
    raw[6] |= 1  # "encrypted" flag of the first member, local header ...
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 1  # ... and central directory
    z.write_bytes(bytes(raw))
    sub = load_submission(z, EXERCISES)
    assert sub.files["pad_collate"].problem == "pad_collate.py is encrypted in the zip; zip it again without a password"
    assert sub.files["distributed_partition"].text == DIST


def test_zip_with_thousands_of_members(tmp_path: Path) -> None:
    members: dict[str, str | bytes] = {f"data/class{i % 3}/img{i}.png": b"\x89PNG" for i in range(3000)}
    members.update({f"lib/mod{i}.py": "x = 1\n" for i in range(500)})
    members["project/pad_collate.py"] = PAD
    z = make_zip(tmp_path / "s.zip", members, zipfile.ZIP_STORED)
    sub = load_submission(z, EXERCISES)
    assert graded(sub) == {"pad_collate": ("project/pad_collate.py", PAD, None)}
    assert sub.notes == ()


def test_zip_over_the_member_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_ZIP_MEMBERS", 50)
    z = make_zip(tmp_path / "s.zip", {**{f"d/{i}.txt": "x" for i in range(60)}, "pad_collate.py": PAD},
                 zipfile.ZIP_STORED)
    sub = load_submission(z, EXERCISES)
    assert sub.files == {}
    assert sub.notes == ("s.zip has 61 files; at most 50 are read",)


def test_zip_reads_only_the_graded_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    z = make_zip(tmp_path / "s.zip", {"pad_collate.py": PAD, **{f"lib/m{i}.py": "x = 1\n" for i in range(20)}})
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else str(name))
        return real_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    sub = load_submission(z, EXERCISES)
    assert sub.files["pad_collate"].text == PAD
    assert opened == ["pad_collate.py"]


def test_zip_near_miss_and_non_utf8(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "s.zip", {"s/Pad_Collate.py": PAD, "s/distributed_partition.py": b"x = '\xe9'\n"})
    sub = load_submission(z, EXERCISES)
    assert sub.near_misses == {"pad_collate": "s/Pad_Collate.py"}
    problem = sub.files["distributed_partition"].problem
    assert problem is not None and "byte 0xe9 on line 1" in problem
