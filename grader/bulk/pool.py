"""Run grading jobs on several judges at once, each with its own sandbox slot.

With one slot the judge runs in this process. With more, each judge is a
forked process pulling job numbers from a shared queue and sending each
result back as JSON (trusted to trusted: never a pickle of student data).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import queue
from collections.abc import Callable, Iterator
from typing import Any

from grader.course import Course, Exercise
from grader.judge.plugin import Job
from grader.judge.session import run_checks
from grader.results import SubmissionResult, result_from_dict
from grader.sandbox.slot import Slot

RESULT_POLL = 0.2


def run_pool(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slots: list[Slot],
             on_result: Callable[[SubmissionResult], None]) -> list[str]:
    """Grade ``jobs``; return the ids of submissions whose judge died before answering."""
    if not jobs:
        return []
    pending = {j.submission.id for j in jobs}
    if len(slots) == 1:

        def record(result: SubmissionResult) -> None:
            pending.discard(result.submission)
            on_result(result)

        run_checks(course, exercises, jobs, slots[0], True, record)
        return sorted(pending)
    ctx = mp.get_context("fork")
    tasks: Any = ctx.Queue()
    results: Any = ctx.Queue()
    for index in range(len(jobs)):
        tasks.put(index)
    for _ in slots:
        tasks.put(None)
    workers = [ctx.Process(target=_judge, args=(course, exercises, jobs, slot, tasks, results), daemon=True)
               for slot in slots]
    for worker in workers:
        worker.start()
    while pending:
        try:
            result = result_from_dict(json.loads(results.get(timeout=RESULT_POLL)))
        except queue.Empty:
            if not any(w.is_alive() for w in workers):
                try:
                    result = result_from_dict(json.loads(results.get(timeout=1.0)))
                except queue.Empty:
                    break
            else:
                continue
        pending.discard(result.submission)
        on_result(result)
    for worker in workers:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
    return sorted(pending)


def _judge(course: Course, exercises: tuple[Exercise, ...], jobs: list[Job], slot: Slot, tasks: Any,
           results: Any) -> None:
    def pull() -> Iterator[Job]:
        while (index := tasks.get()) is not None:
            yield jobs[index]

    run_checks(course, exercises, pull(), slot, True, lambda r: results.put(json.dumps(r.to_dict())))
