"""Grading on many cores: slots that set up side by side, judges that pull work when ready, the costliest
students first, and a template heap backed by huge pages for large classes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from grader.bulk.gradebook import Fingerprint, Gradebook
from grader.bulk.plan import StudentPlan
from grader.bulk.pool import LocalGraders, run_pool
from grader.bulk.schedule import GUESS_SECONDS, NOTEBOOK_FACTOR, costliest_first, expected_seconds
from grader.course import Course
from grader.judge.plugin import Job
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox.layers.libc import IS_LINUX
from grader.sandbox.slot import Layer, Slot
from grader.submission.load import SourceFile, Submission, load_submission


def _plan(course: Course, sid: str, notebook: bool = False) -> StudentPlan:
    ex = course.exercise("pad_collate")
    cells = ((0, "x = 1"),) if notebook else None
    files = {ex.name: SourceFile(ex.name, f"{ex.name}.{'ipynb' if notebook else 'py'}", "x = 1", cells=cells)}
    return StudentPlan(Submission(sid, files), sid, {}, (ex,))


def test_the_costliest_students_are_handed_out_first(course: Course, tmp_path: Path):
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        plans = [_plan(course, "a_py"), _plan(course, "b_notebook", notebook=True), _plan(course, "c_slow"),
                 _plan(course, "d_py")]
        ex = course.exercise("pad_collate")
        slow = SubmissionResult("c_slow", exercises=(ExerciseResult(ex.name, ex.title, ex.points, "timeout",
                                                                    duration=ex.time_limit),))
        run_id = book.start_run("test", 1)
        book.save(run_id, "c_slow", "h", slow, {ex.name: Fingerprint("s", "t", "v")})
        order = [p.submission.id for p in costliest_first(plans, book)]
    # a timeout last time costs its time limit; a notebook runs its cells; equal costs keep their order
    assert order == ["c_slow", "b_notebook", "a_py", "d_py"]
    assert expected_seconds(plans[1], {}) == pytest.approx(GUESS_SECONDS * NOTEBOOK_FACTOR)
    assert expected_seconds(plans[2], {"pad_collate": 9.0}) == 9.0


class _SlowToStart:
    """A slot whose set-up takes longer than the whole class: its judge never gets a student."""

    def __init__(self, slot: Slot) -> None:
        self.slot = slot

    @property
    def layers(self) -> list[Layer]:
        time.sleep(60)
        return self.slot.layers

    def __getattr__(self, name: str) -> object:
        return getattr(self.slot, name)


@pytest.mark.slow
@pytest.mark.skipif(not IS_LINUX, reason="fork slots")
def test_students_go_to_whichever_judge_is_ready(course: Course, tmp_path: Path):
    graders = LocalGraders(course, "auto", [tmp_path], 2)
    try:
        ex = (course.exercise("pad_collate"),)
        folder = tmp_path / "s"
        folder.mkdir()
        (folder / "pad_collate.py").write_text((ROOT / "solutions" / "pad_collate.py").read_text())
        jobs = [Job(load_submission(folder, course.names, f"s{i}"), ex) for i in range(3)]
        results: list[SubmissionResult] = []
        started = time.monotonic()
        failed = run_pool(course, ex, jobs, [graders.slots[0], _SlowToStart(graders.slots[1])], results.append)
        # the ready judge graded every student; the run did not wait for the other judge's set-up
        assert time.monotonic() - started < 45
        assert failed == []
        assert sorted(r.submission for r in results) == ["s0", "s1", "s2"]
        assert all(r.exercises[0].score == r.exercises[0].max_score for r in results)
    finally:
        graders.close()


HUGE_PROBE = """
import json, sys
from pathlib import Path
from grader.course import load_course
from grader.grading import open_slots
from grader.sandbox.template import prefork
slot = open_slots(load_course(Path("course.toml")), "auto", [], 1, collapse=sys.argv[1] == "1")[0]
slot.layers  # the zygotes said hello: the template forked them, so it had collapsed its heap
rollup = Path(f"/proc/{prefork().pid}/smaps_rollup").read_text()
huge = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("AnonHugePages:"))
slot.close()
print(json.dumps({"huge_kib": huge}))
"""


def _thp_available() -> bool:
    try:
        mode = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return False
    release = tuple(int(x) for x in Path("/proc/sys/kernel/osrelease").read_text().split(".")[:2])
    return "[never]" not in mode and release >= (6, 1)


@pytest.mark.slow
@pytest.mark.skipif(not IS_LINUX or not _thp_available(), reason="MADV_COLLAPSE needs Linux 6.1+ with THP")
def test_a_large_class_forks_from_a_template_backed_by_huge_pages():
    def huge(collapse: str) -> int:
        done = subprocess.run([sys.executable, "-c", HUGE_PROBE, collapse], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-2000:]
        return int(json.loads(done.stdout.strip().splitlines()[-1])["huge_kib"])

    assert huge("1") >= 100 * 1024  # torch's heap: hundreds of MB in 2 MiB pages (without: a few MB at most)
