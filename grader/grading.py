"""The typed API behind the CLI: paths in, results out.

The order matters for the trust boundary: the sandbox slot (a fork of this
process) is created *before* any check file, solution or submission is read,
so no runner's memory ever holds them. Then the checks' points are compared
with the manifest (:func:`~grader.judge.points.check_points`), so a course
whose points do not add up stops before any submission is graded.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import torch

import grader
from grader.course import Course
from grader.exceptions import SandboxError, UsageError
from grader.judge.plugin import Job
from grader.judge.points import check_points
from grader.judge.session import run_checks
from grader.results import SubmissionResult
from grader.sandbox.slot import ForkSlot, Layer, Slot, SpawnSlot
from grader.sandbox.spec import EngineName
from grader.submission.load import load_submission

Isolation = Literal["auto", "fork", "spawn"]


def open_slot(course: Course, isolation: Isolation, extra_hidden: list[Path]) -> Slot:
    """A runner slot: forked zygote on Linux, spawned interpreters elsewhere or when asked."""
    hide = [*course.hidden_paths, course.root, *extra_hidden]
    # The engine is public (it ships to students); the kernel engine imports it inside the sandbox.
    keep = [Path(sys.prefix), Path(sys.base_prefix), Path(torch.__file__).parent.parent, Path(grader.__file__).parent]
    if isolation == "spawn" or (isolation == "auto" and not sys.platform.startswith("linux")):
        return SpawnSlot(hide, keep)
    try:
        return ForkSlot(hide, keep, list(course.preload))
    except (OSError, RuntimeError) as exc:
        raise SandboxError(f"could not start the sandbox: {exc}") from None


def grade_paths(
    course: Course,
    paths: list[Path],
    exercises: list[str] | None = None,
    hidden: bool = True,
    isolation: Isolation = "auto",
    on_result: Callable[[SubmissionResult], None] = lambda r: None,
    on_layers: Callable[[list[Layer]], None] = lambda layers: None,
    engine: EngineName = "fast",
) -> list[SubmissionResult]:
    """Grade each path as one submission; results come back in the order of ``paths``."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
    selected = tuple(course.exercise(name) for name in exercises) if exercises else course.exercises
    slot = open_slot(course, isolation, [p.resolve() for p in paths])
    results: list[SubmissionResult] = []

    def collect(result: SubmissionResult) -> None:
        results.append(result)
        on_result(result)

    try:
        if hidden:
            check_points(course, selected)
        on_layers(slot.layers)
        jobs = [Job(load_submission(p, course.names, names=course.defines), selected) for p in paths]
        run_checks(course, selected, jobs, slot, hidden, collect, engine)
    finally:
        slot.close()
    return results
