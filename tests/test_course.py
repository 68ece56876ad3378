"""The course manifest (grader/course.py)."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from grader.course import EXERCISE_KEYS, MANIFEST, Exercise, find_manifest, load_course, parse_size
from grader.exceptions import CourseError, GraderError
from grader.judge.points import check_points, points_problems

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ the real manifest


def test_real_course_loads() -> None:
    course = load_course(ROOT / "course.toml")
    assert course.name == "PyTorch data loading"
    assert course.root == ROOT
    assert {"pad_collate", "distributed_partition"} <= set(course.names)
    assert course.hidden_paths == (ROOT / "grader/hidden", ROOT / "solutions", ROOT / "tests")
    pad = course.exercise("pad_collate")
    assert pad.title == "collate_fn for variable-length sequences"
    assert pad.directory == ROOT / "exercises/04_pad_collate"
    assert pad.public_checks == ROOT / "exercises/04_pad_collate/test_public.py"
    assert pad.hidden_checks == ROOT / "grader/hidden/test_pad_collate.py"
    assert pad.solution == ROOT / "solutions/pad_collate.py"
    assert pad.points == 10.0  # SPEC: each exercise is worth 10 points
    assert pad.forbidden == ()
    assert pad.forbidden_points == 0.0
    assert pad.check_files(hidden=False) == [pad.public_checks]
    assert pad.check_files(hidden=True) == [pad.public_checks, pad.hidden_checks]
    dist = course.exercise("distributed_partition")
    assert dist.forbidden == ("torch.utils.data.DistributedSampler", "torch.utils.data.distributed.DistributedSampler")
    assert dist.forbidden_points == 2.0


def test_real_course_matches_its_toml() -> None:
    """Every exercise of the real manifest, field by field, against an independent reading of the TOML."""
    data = tomllib.loads((ROOT / "course.toml").read_text(encoding="utf-8"))
    course = load_course(ROOT / "course.toml")
    assert course.names == [e["name"] for e in data["exercises"]]
    for ex, raw in zip(course.exercises, data["exercises"], strict=True):
        entry = {**data.get("defaults", {}), **raw}
        assert ex.title == entry.get("title", ex.name)
        assert ex.directory == ROOT / entry["directory"] and ex.directory.is_dir()
        assert ex.public_checks == ROOT / entry["public_checks"] and ex.public_checks.is_file()
        assert ex.hidden_checks == ROOT / entry["hidden_checks"]
        assert ex.hidden_checks is not None and ex.hidden_checks.is_file()
        assert ex.points == float(entry.get("points", 10))
        assert ex.time_limit == float(entry.get("time_limit", 60)) > 0
        assert ex.check_time_limit == float(entry.get("check_time_limit", 20)) > 0
        assert ex.memory_bytes == parse_size(entry.get("memory", "1GiB")) > 0
        assert ex.processes == int(entry.get("processes", 64)) >= 1
        assert ex.forbidden == tuple(entry.get("forbidden", ()))
        assert ex.forbidden_points == float(entry.get("forbidden_points", 0))
    assert load_course(ROOT / "course.toml").exercise("pad_collate").memory_bytes == 2**30  # "1GiB" today


def test_unknown_exercise_lists_the_known_ones() -> None:
    course = load_course(ROOT / "course.toml")
    known = ", ".join(load_course(ROOT / "course.toml").names)
    with pytest.raises(CourseError, match=rf"no exercise named 'nope' \(known: {known}\)"):
        course.exercise("nope")


# ------------------------------------------------------------------ a manifest of our own

EXERCISE = """
[[exercises]]
name = "{name}"
directory = "ex"
public_checks = "ex/test_public.py"
hidden_checks = "hidden/test_{name}.py"
"""


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    for rel in ("ex/test_public.py", "hidden/test_lab.py", "hidden/test_other.py", "sol/lab.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    return tmp_path


def manifest(root: Path, text: str) -> Path:
    path = root / MANIFEST
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_manifest_with_defaults(course_dir: Path) -> None:
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab")))
    assert course.name == course_dir.name  # no [course] name: the folder's
    assert course.hidden_paths == ()
    (lab,) = course.exercises
    assert lab.title == "lab"
    assert (lab.points, lab.time_limit, lab.check_time_limit, lab.memory_bytes, lab.processes) == (
        10.0, 60.0, 20.0, 2**30, 64)
    assert lab.solution is None


def test_defaults_apply_and_exercises_override_them(course_dir: Path) -> None:
    text = """
[course]
name = "Mine"
hidden = ["hidden", "sol"]

[defaults]
points = 5
time_limit = 30
memory = "512MiB"
processes = 8
""" + EXERCISE.format(name="lab") + 'solution = "sol/lab.py"\nmemory = 1024\ntitle = "Lab"\n' + \
        EXERCISE.format(name="other") + 'forbidden = ["torch.nn.functional.one_hot"]\nforbidden_points = 1.5\n'
    course = load_course(manifest(course_dir, text))
    lab, other = course.exercises
    assert course.name == "Mine"
    assert course.hidden_paths == (course_dir / "hidden", course_dir / "sol")
    assert (lab.title, lab.points, lab.time_limit, lab.memory_bytes, lab.processes) == ("Lab", 5.0, 30.0, 1024, 8)
    assert lab.solution == course_dir / "sol/lab.py"
    assert (other.points, other.memory_bytes) == (5.0, 512 * 2**20)
    assert other.forbidden == ("torch.nn.functional.one_hot",)
    assert other.forbidden_points == 1.5


def test_relative_paths_resolve_against_the_manifest_folder(course_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    path = manifest(course_dir, EXERCISE.format(name="lab"))
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    (lab,) = load_course(path).exercises
    assert lab.public_checks == course_dir.resolve() / "ex/test_public.py"


def test_a_single_hidden_path_as_a_string(course_dir: Path) -> None:
    course = load_course(manifest(course_dir, '[course]\nhidden = "sol"\n' + EXERCISE.format(name="lab")))
    assert course.hidden_paths == (course_dir / "sol",)  # not ("s", "o", "l")


def test_a_single_forbidden_api_as_a_string(course_dir: Path) -> None:
    text = EXERCISE.format(name="lab") + 'forbidden = "torch.nn.functional.one_hot"\nforbidden_points = 1\n'
    (lab,) = load_course(manifest(course_dir, text)).exercises
    assert lab.forbidden == ("torch.nn.functional.one_hot",)  # not one API per character


def errors(course_dir: Path, text: str) -> str:
    with pytest.raises(CourseError) as info:
        load_course(manifest(course_dir, text))
    assert info.value.exit_code == 3
    assert isinstance(info.value, GraderError)
    return str(info.value)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"cannot read course manifest .*nope\.toml: No such file or directory"):
        load_course(tmp_path / "nope.toml")


def test_manifest_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match="cannot read course manifest"):
        load_course(tmp_path)


@pytest.mark.parametrize("text", ["[[exercises]\nname = 'x'\n", "name = \n", "a = 1\na = 2\n"])
def test_bad_toml(course_dir: Path, text: str) -> None:
    assert "is not valid TOML" in errors(course_dir, text)


def test_not_utf8(course_dir: Path) -> None:
    (course_dir / MANIFEST).write_bytes(b'[course]\nname = "caf\xe9"\n')
    with pytest.raises(CourseError, match="is not valid TOML"):
        load_course(course_dir / MANIFEST)


@pytest.mark.parametrize("text", ["[course]\nname = 'x'\n", "exercises = []\n", "exercises = [1, 2]\n",
                                  "exercises = 'lab'\n"])
def test_missing_exercises(course_dir: Path, text: str) -> None:
    assert errors(course_dir, text).endswith("no [[exercises]] entries")


@pytest.mark.parametrize("text", ["course = 3\n", "defaults = 'x'\n"])
def test_sections_that_are_not_tables(course_dir: Path, text: str) -> None:
    assert "must be a table" in errors(course_dir, text + EXERCISE.format(name="lab"))


def test_duplicate_names(course_dir: Path) -> None:
    text = EXERCISE.format(name="other") + EXERCISE.format(name="lab") + EXERCISE.format(name="lab")
    assert errors(course_dir, text).endswith("exercise name 'lab' appears twice")


@pytest.mark.parametrize("name", ["Pad-Collate", "pad collate", "1lab", "lab.py", "", "class", "lab\\n", "Lab"])
def test_bad_module_name(course_dir: Path, name: str) -> None:
    message = errors(course_dir, EXERCISE.format(name=name))
    assert "is not a Python module name" in message


def test_missing_name(course_dir: Path) -> None:
    text = '[[exercises]]\ndirectory = "ex"\n'
    assert "exercise name None is not a Python module name" in errors(course_dir, text)


@pytest.mark.parametrize("key,value,expected", [
    ("public_checks", "ex/nope.py", "public_checks 'ex/nope.py' does not exist"),
    ("hidden_checks", "hidden/nope.py", "hidden_checks 'hidden/nope.py' does not exist"),
    ("solution", "sol/nope.py", "solution 'sol/nope.py' does not exist"),
    ("directory", "nowhere", "directory 'nowhere' does not exist"),
    ("directory", "ex/test_public.py", "directory 'ex/test_public.py' is not a folder"),
    ("hidden_checks", "hidden", "hidden_checks 'hidden' is not a file"),
])
def test_bad_paths(course_dir: Path, key: str, value: str, expected: str) -> None:
    kept = [line for line in EXERCISE.format(name="lab").splitlines() if not line.startswith(f"{key} = ")]
    text = "\n".join(kept) + f'\n{key} = "{value}"\n'
    message = errors(course_dir, text)
    assert f"exercise 'lab': {expected}" in message


def test_missing_required_path(course_dir: Path) -> None:
    text = '[[exercises]]\nname = "lab"\ndirectory = "ex"\nhidden_checks = "hidden/test_lab.py"\n'
    assert errors(course_dir, text).endswith("exercise 'lab' has no public_checks")
    text = '[[exercises]]\nname = "lab"\npublic_checks = "ex/test_public.py"\n'
    assert errors(course_dir, text).endswith("exercise 'lab' has no directory")


def test_without_hidden_checks_only_public_checks_run(course_dir: Path) -> None:
    """A student bundle ships no hidden checks: loading works, asking for hidden checks does not."""
    text = '[[exercises]]\nname = "lab"\ndirectory = "ex"\npublic_checks = "ex/test_public.py"\n'
    (lab,) = load_course(manifest(course_dir, text)).exercises
    assert lab.hidden_checks is None
    assert lab.check_files(hidden=False) == [course_dir / "ex/test_public.py"]
    with pytest.raises(CourseError, match="has no hidden checks"):
        lab.check_files(hidden=True)


@pytest.mark.parametrize("memory", ['"lots"', '"1.2.3GiB"', '"12 parsecs"', "0", "-5", '"0MiB"', "true"])
def test_bad_memory_size(course_dir: Path, memory: str) -> None:
    message = errors(course_dir, EXERCISE.format(name="lab") + f"memory = {memory}\n")
    assert "exercise 'lab': memory is not a size" in message


def test_forbidden_without_forbidden_points(course_dir: Path) -> None:
    text = EXERCISE.format(name="lab") + 'forbidden = ["torch.nn.functional.one_hot"]\n'
    assert errors(course_dir, text).endswith("exercise 'lab' forbids APIs but gives forbidden_points = 0")


@pytest.mark.parametrize("forbidden", ["[1]", '["one_hot"]', '["torch..x"]', '[""]', "3", '["torch.nn f"]'])
def test_forbidden_must_be_dotted_names(course_dir: Path, forbidden: str) -> None:
    text = EXERCISE.format(name="lab") + f"forbidden = {forbidden}\nforbidden_points = 1\n"
    assert "forbidden must be a list of dotted names" in errors(course_dir, text)


@pytest.mark.parametrize("extra,expected", [
    ('points = "ten"', "could not convert string to float"),
    ("points = -1", "points = -1 is not allowed"),
    ("points = nan", "points = nan is not allowed"),
    ("time_limit = 0", "time_limit = 0 is not allowed"),
    ("check_time_limit = -3", "check_time_limit = -3 is not allowed"),
    ("processes = 0", "processes must be at least 1"),
    ('processes = "many"', "invalid literal"),
    ("forbidden_points = 11\nforbidden = ['a.b']", "forbidden_points is more than points"),
])
def test_bad_numbers(course_dir: Path, extra: str, expected: str) -> None:
    message = errors(course_dir, EXERCISE.format(name="lab") + extra + "\n")
    assert "exercise 'lab'" in message
    assert expected in message


def test_bad_hidden(course_dir: Path) -> None:
    message = errors(course_dir, "[course]\nhidden = [1]\n" + EXERCISE.format(name="lab"))
    assert "hidden must be a list of paths" in message


def test_preload(course_dir: Path) -> None:
    text = '[course]\npreload = ["torchvision.transforms.v2", "json"]\n' + EXERCISE.format(name="lab")
    assert load_course(manifest(course_dir, text)).preload == ("torchvision.transforms.v2", "json")
    assert load_course(manifest(course_dir, EXERCISE.format(name="lab"))).preload == ()
    assert load_course(ROOT / "course.toml").preload == ("torchvision.transforms.v2",)


@pytest.mark.parametrize("value", ['"json"', "[1]", '["os; import sys"]', '["a..b"]', '["../hidden/x"]'])
def test_bad_preload(course_dir: Path, value: str) -> None:
    message = errors(course_dir, f"[course]\npreload = {value}\n" + EXERCISE.format(name="lab"))
    assert "preload must be a list of module names" in message


# ------------------------------------------------------------------ unknown keys and defaults


@pytest.mark.parametrize("text,expected", [
    ("[[exercise]]\nname = 'lab'\n", "unknown key 'exercise' (did you mean 'exercises'?)"),
    ("[course]\nnmae = 'x'\n", "[course]: unknown key 'nmae' (did you mean 'name'?)"),
    ("[defaults]\npionts = 3\n", "[defaults]: unknown key 'pionts' (did you mean 'points'?)"),
    ("[defaults]\nmemory_bytes = 3\n", "[defaults]: unknown key 'memory_bytes' (did you mean 'memory'?)"),
    (EXERCISE.format(name="lab") + "time_limt = 5\n",
     "exercise 'lab': unknown key 'time_limt' (did you mean 'time_limit'?)"),
    (EXERCISE.format(name="lab") + "colour = 'red'\n", "exercise 'lab': unknown key 'colour'"),
])
def test_unknown_keys_are_errors_with_a_did_you_mean(course_dir: Path, text: str, expected: str) -> None:
    tail = "" if "[[exercises]]" in text else EXERCISE.format(name="other")
    assert errors(course_dir, text + tail).endswith(expected)


def test_every_exercise_key_has_one_declared_default(course_dir: Path) -> None:
    assert {k: v for k, v in EXERCISE_KEYS.items() if v is not None} == {
        "points": 10, "time_limit": 60, "check_time_limit": 20, "memory": "1GiB", "processes": 64, "forbidden": (),
        "forbidden_points": 0}
    every = ('[defaults]\npoints = 10\ntime_limit = 60\ncheck_time_limit = 20\nmemory = "1GiB"\nprocesses = 64\n'
             'forbidden = []\nforbidden_points = 0\n')
    (lab,) = load_course(manifest(course_dir, every + EXERCISE.format(name="lab"))).exercises
    assert (lab.points, lab.time_limit, lab.check_time_limit, lab.memory_bytes, lab.processes, lab.forbidden,
            lab.forbidden_points) == (10.0, 60.0, 20.0, 2**30, 64, (), 0.0)


def test_the_fields_that_decide_a_grade_are_marked_in_field_order() -> None:
    marked = [f.name for f in dataclasses.fields(Exercise) if f.metadata.get("grading")]
    assert marked == ["points", "time_limit", "check_time_limit", "memory_bytes", "processes", "forbidden",
                      "forbidden_points"]


# ------------------------------------------------------------------ points: checks against the manifest

CHECKS = '''"""Hidden checks."""
import pytest

LIMIT = 3


@pytest.mark.points(2)
def test_a(student):
    pass


@pytest.mark.points(1.5)
class TestB:
    def test_from_the_class(self, student):
        pass

    @pytest.mark.timeout(3)
    @pytest.mark.points(3)
    def test_own(self, student):
        pass

    def helper(self):
        pass


def helper():
    pass
'''  # 2 + 1.5 + 3 = 6.5 points


def test_points_that_add_up(course_dir: Path) -> None:
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab") + "points = 7\nforbidden_points = 0.5\n"
                                  + "forbidden = ['torch.nn.functional.one_hot']\n"))
    (course_dir / "hidden/test_lab.py").write_text(CHECKS, encoding="utf-8")
    check_points(course, course.exercises)


def test_points_that_do_not_add_up_name_every_exercise(course_dir: Path) -> None:
    (course_dir / "hidden/test_lab.py").write_text(CHECKS, encoding="utf-8")
    (course_dir / "hidden/test_other.py").write_text(CHECKS.replace("points(2)", "points(4)"), encoding="utf-8")
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab") + "points = 10\n"
                                  + EXERCISE.format(name="other") + "points = 6.5\n"))
    with pytest.raises(CourseError) as info:
        check_points(course, course.exercises)
    assert info.value.exit_code == 3
    assert str(info.value).splitlines() == ["lab: checks are worth 6.5 points, the manifest says 10",
                                            "other: checks are worth 8.5 points, the manifest says 6.5"]
    assert list(points_problems(course, course.exercises[1:])) == ["other"]


def test_a_check_without_points(course_dir: Path) -> None:
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab") + "points = 6.5\n"))
    (course_dir / "hidden/test_lab.py").write_text(CHECKS + "\n\ndef test_c(student):\n    pass\n", encoding="utf-8")
    with pytest.raises(CourseError, match=r"^lab: hidden/test_lab.py::test_c: every check needs "
                                          r"@pytest.mark.points\(n\)$"):
        check_points(course, course.exercises)


@pytest.mark.parametrize("change", [
    ("@pytest.mark.points(2)\n", "@pytest.mark.points(LIMIT)\n"),  # not a literal
    ("@pytest.mark.points(2)\n", "@pytest.mark.points(2)\n@pytest.mark.parametrize('n', [1, 2])\n"),
    ("@pytest.mark.points(2)\n", "@pytest.mark.points(2)\n@custom\n"),  # a decorator that may wrap the check
    ("LIMIT = 3\n", "pytestmark = pytest.mark.points(1)\n"),
    ("LIMIT = 3\n", "if LIMIT:\n    pass\n"),  # statements that could make checks
    ("class TestB:", "class TestB(Base):"),  # inherited checks
    ("def helper():", "@pytest.fixture(params=[1, 2])\ndef helper():"),  # multiplies the checks that use it
    ("def helper():", "def pytest_generate_tests(metafunc):"),
])
def test_what_the_source_cannot_decide_is_left_to_the_judge(course_dir: Path, change: tuple[str, str]) -> None:
    changed = CHECKS.replace(*change)
    assert changed != CHECKS
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab") + "points = 99\n"))
    (course_dir / "hidden/test_lab.py").write_text(changed, encoding="utf-8")
    assert points_problems(course, course.exercises) == {}


def test_a_later_definition_replaces_an_earlier_one(course_dir: Path) -> None:
    course = load_course(manifest(course_dir, EXERCISE.format(name="lab") + "points = 6.5\n"))
    (course_dir / "hidden/test_lab.py").write_text(CHECKS + "\n\n@pytest.mark.points(2)\ndef test_a(student):\n"
                                                   "    pass\n", encoding="utf-8")
    check_points(course, course.exercises)
    (course_dir / "hidden/test_lab.py").write_text(CHECKS + "\n\ndef test_a():\n    pass\n", encoding="utf-8")
    with pytest.raises(CourseError, match=r"test_lab\.py::test_a: every check needs"):
        check_points(course, course.exercises)


def test_the_real_course_adds_up_and_is_read_in_full() -> None:
    course = load_course(ROOT / "course.toml")
    check_points(course, course.exercises)
    wrong = [dataclasses.replace(ex, points=ex.points + 1) for ex in course.exercises]
    assert list(points_problems(course, wrong)) == course.names  # every exercise decided from its source


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize("value,expected", [
    ("1GiB", 2**30), ("512MiB", 512 * 2**20), (1024, 1024), ("512 MB", 512 * 10**6), ("1 gib", 2**30),
    ("2k", 2048), ("3 KiB", 3072), ("10kb", 10_000), ("1.5GiB", 3 * 2**29), ("4096", 4096), ("100 b", 100),
    (" 2G ", 2 * 2**30), ("1 gb", 10**9), (".5M", 2**19), (2048.0, 2048),
])
def test_parse_size(value: object, expected: int) -> None:
    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["lots", "1.2.3", ".", "", "1e9", "5 TB", "GiB", "-1GiB", 0, -1, "0", True,
                                   None, [1], float("inf")])
def test_parse_size_rejects(value: object) -> None:
    with pytest.raises(CourseError, match="not a size"):
        parse_size(value)


# ------------------------------------------------------------------ finding the manifest


def test_find_manifest_walks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLGRADE_COURSE", raising=False)
    (tmp_path / MANIFEST).write_text("", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_manifest(deep) == (tmp_path / MANIFEST).resolve()


def test_find_manifest_prefers_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGRADE_COURSE", str(tmp_path / "other.toml"))
    (tmp_path / MANIFEST).write_text("", encoding="utf-8")
    assert find_manifest(tmp_path) == tmp_path / "other.toml"


def test_find_manifest_falls_back_to_the_bundled_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLGRADE_COURSE", raising=False)
    assert find_manifest(tmp_path) == ROOT / MANIFEST
