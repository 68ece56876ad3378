"""Forbidden APIs reached dynamically (issue 11, class 5): the runner's tripwire sees the call.

However student code reaches a forbidden callable (a built string given to
``getattr``, ``importlib.import_module``, ``vars(module)[name]``, ``eval``, a
subclass), the call costs exactly the forbidden-API check's points, the
feedback names the API, and a source that also names it is counted once.
Checks' probes may use the API themselves without costing the student.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, exercise, feedback
from nbformat.v4 import new_code_cell, new_notebook

from grader.course import Course, load_course
from grader.grading import grade_paths
from grader.results import ExerciseResult, SubmissionResult

GATHER = (ROOT / "solutions" / "gather_scatter.py").read_text()
PARTITION = (ROOT / "solutions" / "distributed_partition.py").read_text()
ONE_HOT, SAMPLER = "torch.nn.functional.one_hot", "torch.utils.data.DistributedSampler"
CHECK = "does not use forbidden APIs"

# A later definition overrides the reference's: each calls the forbidden API and returns the right answer.
DYNAMIC_ONE_HOT = {
    "getattr with a built name": """
        _functional = getattr(torch.nn, "func" + "tional")
        def one_hot(labels, num_classes):
            return getattr(_functional, "one" + "_hot")(labels.long(), num_classes).float()
        """,
    "eval": """
        def one_hot(labels, num_classes):
            return eval("torch.nn.functional." + "one_hot")(labels.long(), num_classes).float()
        """,
}
DYNAMIC_SAMPLER = {
    "import_module of a built name": """
        import importlib
        _reference = partition_indices
        def partition_indices(dataset_size, num_replicas, rank, shuffle=True, seed=0, epoch=0, drop_last=False):
            if dataset_size > 0 and 0 <= rank < num_replicas:
                module = importlib.import_module("torch.utils." + "data")
                getattr(module, "Distributed" + "Sampler")(range(dataset_size), num_replicas=num_replicas, rank=rank)
            return _reference(dataset_size, num_replicas, rank, shuffle, seed, epoch, drop_last)
        """,
    "vars() of the module, then a subclass": """
        import torch.utils.data.distributed as _distributed
        class _Mine(vars(_distributed)["Distributed" + "Sampler"]):
            pass
        """,
}
STATIC_AND_DYNAMIC = """
    import torch.nn.functional as F
    def one_hot(labels, num_classes):
        eval("F.one" + "_hot")(labels.long(), num_classes)
        return F.one_hot(labels.long(), num_classes).float()
    """


def _folder(base: Path, sid: str, files: dict[str, str]) -> Path:
    folder = base / sid
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _forbidden(ex: ExerciseResult) -> str:
    (check,) = [c for c in ex.checks if c.name == CHECK]
    assert check.status == "failed", feedback(ex)
    return check.feedback


def _loses_only_the_forbidden_points(ex: ExerciseResult, course: Course, api: str) -> None:
    assert ex.score == ex.max_score - course.exercise(ex.name).forbidden_points, feedback(ex)
    assert [c.name for c in ex.checks if c.status != "passed"] == [CHECK], feedback(ex)
    assert f"`{api}` (called while your code ran)" in _forbidden(ex)


@pytest.fixture(scope="module")
def graded(course: Course, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SubmissionResult]:
    """Every submission of this module graded in one session (fork mode)."""
    base = tmp_path_factory.mktemp("tripwire")
    folders = {name: _folder(base, f"one_hot_{i}", {"gather_scatter.py": GATHER + textwrap.dedent(code)})
               for i, (name, code) in enumerate(DYNAMIC_ONE_HOT.items())}
    folders |= {name: _folder(base, f"sampler_{i}", {"distributed_partition.py": PARTITION + textwrap.dedent(code)})
                for i, (name, code) in enumerate(DYNAMIC_SAMPLER.items())}
    folders["static and dynamic"] = _folder(base, "both", {"gather_scatter.py": GATHER + textwrap.dedent(
        STATIC_AND_DYNAMIC)})
    folders["reference"] = _folder(base, "reference", {"gather_scatter.py": GATHER,
                                                       "distributed_partition.py": PARTITION})
    folders["torch's own subclasses"] = _folder(base, "imports", {"distributed_partition.py": PARTITION + (
        "\nimport torch.distributed.elastic.utils.data  # defines DistributedSampler[T] subclasses on import"
        "\nimport torchvision.datasets.samplers\n")})
    results = grade_paths(course, list(folders.values()), ["gather_scatter", "distributed_partition"],
                          isolation="fork")
    return dict(zip(folders, results, strict=True))


@pytest.mark.parametrize("spelling", list(DYNAMIC_ONE_HOT))
def test_one_hot_reached_dynamically_costs_the_forbidden_points(graded, course, spelling):
    _loses_only_the_forbidden_points(exercise(graded[spelling], "gather_scatter"), course, ONE_HOT)


@pytest.mark.parametrize("spelling", list(DYNAMIC_SAMPLER))
def test_distributed_sampler_reached_dynamically_costs_the_forbidden_points(graded, course, spelling):
    _loses_only_the_forbidden_points(exercise(graded[spelling], "distributed_partition"), course, SAMPLER)


def test_a_source_that_names_and_calls_the_api_is_counted_once(graded, course):
    ex = exercise(graded["static and dynamic"], "gather_scatter")
    assert ex.score == ex.max_score - course.exercise("gather_scatter").forbidden_points, feedback(ex)
    message = _forbidden(ex)
    assert message.count(ONE_HOT) == 1 and "line" in message and "called while" not in message


def test_the_reference_keeps_full_marks(graded):
    for name in ("gather_scatter", "distributed_partition"):
        ex = exercise(graded["reference"], name)
        assert ex.score == ex.max_score, feedback(ex)


def test_importing_modules_that_subclass_the_api_is_not_a_use(graded):
    ex = exercise(graded["torch's own subclasses"], "distributed_partition")
    assert ex.score == ex.max_score, feedback(ex)


@pytest.mark.slow
def test_spawn_mode_has_the_tripwire_too(course, tmp_path):
    code = GATHER + textwrap.dedent(DYNAMIC_ONE_HOT["getattr with a built name"])
    (result,) = grade_paths(course, [_folder(tmp_path, "student", {"gather_scatter.py": code})], ["gather_scatter"],
                            isolation="spawn")
    _loses_only_the_forbidden_points(exercise(result, "gather_scatter"), course, ONE_HOT)


@pytest.mark.parametrize("engine", ["fast", pytest.param("kernel", marks=pytest.mark.slow)])
def test_notebook_cells_are_wired_in_both_engines(course, tmp_path, engine):
    folder = tmp_path / "student"
    folder.mkdir()
    cells = [PARTITION, textwrap.dedent(DYNAMIC_SAMPLER["import_module of a built name"])]
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), str(folder / "distributed_partition.ipynb"))
    (result,) = grade_paths(course, [folder], ["distributed_partition"], engine=engine)
    _loses_only_the_forbidden_points(exercise(result, "distributed_partition"), course, SAMPLER)


PROBE_CHECKS = '''
import pytest
import torch

from grader.checks import probe


@probe
def against_the_api(mod, n):
    """The check's own reference uses the forbidden APIs: that is not the student's use."""
    want = torch.nn.functional.one_hot(torch.arange(n), n).tolist()
    sampler = torch.utils.data.distributed.DistributedSampler(range(n), num_replicas=2, rank=0, shuffle=False)
    return mod.encode(n) == want and list(sampler) == list(range(0, n, 2))


@probe
def through_workers(mod, n):
    loader = torch.utils.data.DataLoader(list(range(n)), batch_size=2, num_workers=2, collate_fn=mod.collate,
                                         multiprocessing_context="fork")
    return sum(len(batch) for batch in loader)


@pytest.mark.points(2)
def test_encode(student):
    assert student.probe(against_the_api, 4)


@pytest.mark.points(1)
def test_collate_in_workers(student):
    assert student.probe(through_workers, 6) == 6
'''
STUDENT = '''
import torch


def encode(n):
    return torch.zeros(n, n, dtype=torch.int64).scatter_(1, torch.arange(n).unsqueeze(1), 1).tolist()


def collate(batch):
    return batch
'''


@pytest.fixture
def probe_course(tmp_path: Path) -> Course:
    root = tmp_path / "course"
    (root / "checks").mkdir(parents=True)
    (root / "checks" / "test_public.py").write_text("import pytest\n\n\n@pytest.mark.points(1)\n"
                                                    "def test_loads(student):\n    student.names()\n")
    (root / "checks" / "test_hidden.py").write_text(PROBE_CHECKS)
    (root / "course.toml").write_text(f'''
[course]
name = "tripwire"
hidden = ["checks/test_hidden.py"]

[[exercises]]
name = "encode"
title = "encode"
directory = "checks"
points = 5
public_checks = "checks/test_public.py"
hidden_checks = "checks/test_hidden.py"
forbidden = ["{ONE_HOT}", "{SAMPLER}", "torch.utils.data.distributed.DistributedSampler"]
forbidden_points = 1
''')
    return load_course(root / "course.toml")


def test_probes_may_use_the_api_and_a_worker_process_is_seen(probe_course, tmp_path):
    in_worker = STUDENT + ('\n\ndef collate(batch):\n    getattr(torch.nn.functional, "one" + "_hot")'
                           '(torch.tensor(batch), 10)\n    return batch\n')
    clean, worker = grade_paths(probe_course, [_folder(tmp_path, "clean", {"encode.py": STUDENT}),
                                               _folder(tmp_path, "worker", {"encode.py": in_worker})])
    ex = exercise(clean, "encode")
    assert ex.score == ex.max_score, feedback(ex)
    _loses_only_the_forbidden_points(exercise(worker, "encode"), probe_course, ONE_HOT)
