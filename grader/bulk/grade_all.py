"""``dlgrade grade-all``: a class folder in, a gradebook out (the exports: :mod:`grader.bulk.exports`).

Order matters for the trust boundary: sandbox slots are forked before any
submission or check is read; they set up side by side while the class is
read, each judge waits for its own, and students go to whichever judge is
ready first, the costliest first (:mod:`grader.bulk.schedule`). Then the
checks' points are compared with the manifest (a course that does not add up
stops before the gradebook is touched), the roster is read, each student's
plan is made against the gradebook, the judges (or a Dask cluster:
:mod:`grader.cluster`) grade what changed, and every result is committed as
it arrives (one transaction per student, with a "graded" history event per
exercise). Ctrl-C and a full disk end the run with one error that says how
many students are saved (:mod:`grader.bulk.faults`). Last, the course policy
is settled on everyone's raw results: due dates, late penalties, extensions,
overrides (:mod:`grader.bulk.settle`); with nothing to regrade, that is all a
run does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.bulk.adjustments import Event, points
from grader.bulk.faults import Tally, explained
from grader.bulk.gradebook import Gradebook
from grader.bulk.plan import StudentPlan, grader_version, plan, suite_hash
from grader.bulk.pool import Graders, LocalGraders
from grader.bulk.roster import roster
from grader.bulk.schedule import costliest_first
from grader.bulk.settle import has_deadline, settle
from grader.course import Course
from grader.grading import Isolation
from grader.judge.plugin import Job
from grader.judge.points import check_points
from grader.policy.extensions import Extensions
from grader.policy.times import times_for
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox.slot import Layer
from grader.submission.load import load_submission

GRADEBOOK = "gradebook.sqlite"
COLLAPSE_FROM = 200  # exercises to grade from which huge pages pay for themselves (see _large)


@dataclass(frozen=True)
class ClassRun:
    """What one ``grade-all`` did."""

    results: list[SubmissionResult]  # final: the course policy and overrides applied
    graded: list[str]
    reused: list[str]
    failed: list[str]
    notes: list[str]


def grade_all(
    course: Course,
    source: Path,
    out: Path,
    jobs: int = 1,
    force: bool = False,
    isolation: Isolation = "auto",
    on_start: Callable[[int, list[Layer]], None] = lambda total, layers: None,
    on_result: Callable[[SubmissionResult], None] = lambda r: None,
    tally: Tally | None = None,
    times: str | Path = "auto",
    extensions: Extensions | None = None,
    scheduler: str | None = None,
    on_note: Callable[[str], None] = lambda note: None,
) -> ClassRun:
    """Grade every student of ``source`` into ``out/gradebook.sqlite``; return every student's final result.

    ``times`` says where submission times come from (:func:`~grader.policy.times.times_for`: ``auto``,
    ``mtime`` or a CSV file), read only when the course has a due date; ``extensions`` are the deadlines
    granted to single students. ``scheduler`` sends the grading to a Dask cluster (``tcp://HOST:PORT``, or
    ``local:N`` for a cluster of N workers on this machine) instead of ``jobs`` local judges; ``on_note`` gets
    what the instructor should know about it (the dashboard's address).

    ``tally`` counts the students saved so far; Ctrl-C or a full disk raise
    :class:`~grader.exceptions.Interrupted` or :class:`~grader.exceptions.DiskFull` with that count.
    """
    tally = tally or Tally(out / GRADEBOOK)
    with explained(tally):
        out.mkdir(parents=True, exist_ok=True)
        graders = _graders(course, source, out, jobs, isolation, scheduler, on_note)
        try:
            check_points(course, course.exercises)
            with tempfile.TemporaryDirectory(prefix="dlgrade-class-") as tmp, Gradebook(out / GRADEBOOK) as book:
                students, notes = roster(source, Path(tmp))
                submitted = (times_for({s.id: s.path for s in students}, times, course.timezone)
                             if has_deadline(course) else {})
                suites = {ex.name: suite_hash(ex) for ex in course.exercises}
                plans = {s.id: plan(course, load_submission(s.path, course.names, s.id, course.defines), book,
                                    suites, force)
                         for s in students}
                todo = costliest_first([p for p in plans.values() if p.to_grade], book)
                reused = sorted(sid for sid, p in plans.items() if not p.to_grade)
                tally.total, tally.saved = len(students), len(reused)
                on_start(len(todo), graders.layers() if todo else [])
                run_id = book.start_run(grader_version(), max(jobs, 1), source.resolve())
                graded: list[str] = []

                def record(result: SubmissionResult) -> None:
                    p = plans[result.submission]
                    full = _merge(course, p, result, book)
                    book.save(run_id, result.submission, p.submission_hash, full, p.fingerprints,
                              _graded(book, result, run_id))
                    tally.saved += 1
                    graded.append(result.submission)
                    on_result(full)

                failed = graders.grade([Job(p.submission, p.to_grade) for p in todo], record) if todo else []
                book.finish_run(run_id, len(graded), len(reused))
                results = settle(course, book, [s.id for s in students], submitted, extensions or Extensions(),
                                 run_id)
        finally:
            graders.close()
    return ClassRun(results, graded, reused, failed, notes)


def _graders(course: Course, source: Path, out: Path, jobs: int, isolation: Isolation, scheduler: str | None,
             on_note: Callable[[str], None]) -> Graders:
    """Local judges, their slots setting up from now on, or a Dask cluster when ``scheduler`` names one."""
    if scheduler is None:
        return LocalGraders(course, isolation, [source.resolve(), out.resolve()], jobs, _large(source, course))
    # Lazy: dask.distributed takes a second to import and is an optional extra (dlgrade[cluster]).
    from grader.cluster.graders import ClusterGraders

    return ClusterGraders(course, scheduler, on_note)


def _large(source: Path, course: Course) -> bool:
    """Whether the class is large enough to collapse the template's heap into huge pages (a second at start-up
    for ~20 ms less kernel time on every exercise's fork); only the folder's entries are counted, none read."""
    try:
        entries = sum(1 for _ in source.iterdir())
    except OSError:
        entries = 0
    return entries * len(course.exercises) >= COLLAPSE_FROM


def _merge(course: Course, p: StudentPlan, fresh: SubmissionResult, book: Gradebook) -> SubmissionResult:
    """The fresh exercise results plus the stored ones that did not need regrading, in manifest order."""
    new = {e.name: e for e in fresh.exercises}
    exercises: list[ExerciseResult] = []
    for ex in course.exercises:
        result = new.get(ex.name) or book.exercise_result(p.submission.id, ex.name)
        if result is not None:
            exercises.append(result)
    return SubmissionResult(fresh.submission, notes=fresh.notes, duration=fresh.duration, exercises=tuple(exercises))


def _graded(book: Gradebook, fresh: SubmissionResult, run_id: int) -> list[Event]:
    """A history event for each exercise just graded: its raw score before (if any) and now."""
    before = book.scores(fresh.submission)
    return [Event(fresh.submission, e.name, "graded", points(before[e.name]) if e.name in before else "",
                  points(e.score), "" if e.status == "graded" else e.status, run_id=run_id)
            for e in fresh.exercises]
