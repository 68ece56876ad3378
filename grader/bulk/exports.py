"""Every export of a class run, regenerated from the gradebook's results.

``gradebook.csv``, ``results/*.json``, ``feedback/`` pages, ``report.html``
(with the similar-code section and its pair pages under ``similarity/``
when a comparison of the class's code is given), then the reports asked
for. With several cores
the exports are written side by side by forked processes: the class report
(its plots and the pair pages) in one, a share of the students' files in
each of the others, so the tail after grading does not grow with the class.
Forking happens only while this process runs no other thread (a thread may
hold a lock the child would wait on forever); otherwise everything is written
here, one after another.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from grader.course import Course
from grader.report.formats import Context, Report, write_reports
from grader.report.similarity_html import SIMILARITY, write_pair_pages
from grader.report.student_feedback import write_feedback
from grader.report.student_files import student_stem
from grader.result_codec import to_document
from grader.results import SubmissionResult
from grader.similarity.find import Similarity

SHARE = 8  # students per forked task at least: below that a fork costs more than it saves


def write_outputs(course: Course, results: list[SubmissionResult], out: Path, reports: Iterable[Report] = (),
                  similarity: Similarity | None = None, jobs: int = 1) -> None:
    """Write every export of a class into ``out`` (``jobs``: processes at most), then the ``reports`` asked for.

    With ``similarity``, ``report.html`` gets the similar-code section and ``similarity/`` its pair pages.
    """
    context = Context(course, several=True)
    write_reports([Report("csv", out / "gradebook.csv")], results, context)
    shares = max(1, min(jobs - 1, len(results) // SHARE))
    tasks: list[Callable[[], None]] = [partial(_class_report, course, results, out, similarity),
             *(partial(_student_files, results[i::shares], out) for i in range(shares))]
    _run(tasks, jobs)
    write_reports(reports, results, context)


def _class_report(course: Course, results: list[SubmissionResult], out: Path, similarity: Similarity | None) -> None:
    """``report.html``, and the pair pages of ``similarity``."""
    from grader.report.class_report import write_report  # here: matplotlib would add 0.5 s to every command's start

    if similarity is not None:
        write_pair_pages(similarity, out / SIMILARITY, back="../report.html#similarity")
    write_report(course, results, out / "report.html", similarity)


def _student_files(results: list[SubmissionResult], out: Path) -> None:
    """Each student's ``results/<stem>.json`` and feedback pages."""
    (out / "results").mkdir(parents=True, exist_ok=True)
    for result in results:
        path = out / "results" / f"{student_stem(result.submission)}.json"
        path.write_text(json.dumps(to_document(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_feedback(results, out / "feedback")


def _run(tasks: list[Callable[[], None]], jobs: int) -> None:
    """Run ``tasks``, side by side in forked processes where that is safe and worth it; raise the first error."""
    if jobs < 2 or len(tasks) < 2 or threading.active_count() > 1:
        for task in tasks:
            task()
        return
    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=mp.get_context("fork")) as pool:
        for done in [pool.submit(task) for task in tasks]:
            done.result()
