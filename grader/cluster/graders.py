"""Grading on a Dask cluster: the :class:`~grader.bulk.pool.Graders` that ``grade-all --scheduler`` uses.

The client registers :class:`~grader.cluster.worker.CoursePlugin` (the course bundle and its hash) on
every worker, then sends one task per student: the student's encoded submission goes first as a small
task of its own keyed by its sha256 (content-addressed: Dask can recompute it from the scheduler's copy if
the worker holding it dies, and never asks this process for it again), the grading task depends on it.
Results are JSON documents, turned back into results here as each future completes, so that this process
stays the only writer of the gradebook.

Faults: a worker that dies mid-student is replaced (a nanny restarts it) and the scheduler runs the
student elsewhere; with ``local:N`` a student whose grading kills a worker twice fails with
``KilledWorker`` (``allowed-failures`` = 1), a judge that dies mid-student is retried once, and either is
recorded as a ``crashed`` result that says so. It never holds up the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import dask
from distributed import Client, Future, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from grader.cluster.address import LocalWorkers, SchedulerAddress, parse_scheduler
from grader.cluster.bundle import make_bundle
from grader.cluster.submission_codec import content_key, encode
from grader.cluster.worker import PLUGIN, CoursePlugin, JudgeLost, grade_submission, submission_bytes, worker_layers
from grader.course import Course
from grader.exceptions import ClusterError, GraderError
from grader.judge.plugin import Job
from grader.result_codec import from_document
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox.slot import Layer

ALLOWED_FAILURES = 1  # worker deaths a student may cause and still be retried (local:N's scheduler)
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler
WORKER_WAIT = 300.0  # seconds for the first worker to have its judge ready


class ClusterGraders:
    """A Dask cluster's workers, each with the course and a warm judge; setting up from now on."""

    def __init__(self, course: Course, scheduler: str, on_note: Callable[[str], None]) -> None:
        target = parse_scheduler(scheduler)
        self.course = course
        self.bundle = make_bundle(course)
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        address = target.address if isinstance(target, SchedulerAddress) else "a local cluster"
        try:
            if isinstance(target, LocalWorkers):
                self.cluster = _local_cluster(target.count)
                address = self.cluster.scheduler_address
            # A tls:// address takes its certificates from Dask's configuration (distributed.comm.tls).
            self.client = Client(address, timeout=CONNECT_TIMEOUT)
            self.client.register_plugin(CoursePlugin(self.bundle), name=PLUGIN)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ClusterError(f"could not reach the Dask scheduler at {address}: {exc}") from None
        except BaseException:
            self.close()
            raise
        link = self.client.dashboard_link if "dashboard" in self.client.scheduler_info().get("services", {}) else ""
        on_note(f"Dask dashboard: {link}" if link else
                "Dask dashboard: not available (the scheduler serves none; it needs bokeh installed)")

    def layers(self) -> list[Layer]:
        """The protections in force on the first worker whose judge is ready."""
        assert self.client is not None
        future = self.client.submit(worker_layers, self.bundle.sha256, pure=False)
        try:
            docs = future.result(timeout=WORKER_WAIT)
        except TimeoutError:
            raise ClusterError(f"no Dask worker had a judge ready within {WORKER_WAIT:g} s: are workers "
                               "connected to the scheduler?") from None
        except JudgeLost as exc:
            raise ClusterError(str(exc)) from None
        finally:
            future.release()
        return [Layer(str(d["name"]), bool(d["in_force"]), str(d["detail"])) for d in docs]

    def grade(self, jobs: list[Job], on_result: Callable[[SubmissionResult], None]) -> list[str]:
        """One task per student; ``on_result`` gets each result here, in the order they complete."""
        client = self.client
        assert client is not None
        futures: dict[Future[str], Job] = {}
        for job in jobs:
            data = encode(job.submission)
            names = [ex.name for ex in job.exercises]
            task = hashlib.sha256(json.dumps([self.bundle.sha256, names]).encode() + data).hexdigest()
            blob = client.submit(submission_bytes, data, key=f"dlgrade-submission-{content_key(data)}", pure=False)
            futures[client.submit(grade_submission, blob, names, self.bundle.sha256, key=f"dlgrade-grade-{task}",
                                  retries=1, pure=False)] = job
        try:
            for future in as_completed(list(futures)):
                on_result(self._result(future, futures[future]))
        finally:
            client.cancel(list(futures))
        return []

    def close(self) -> None:
        """Free the workers of this course (their judges end), then end a cluster this run started."""
        if self.client is not None:
            try:
                if PLUGIN in self.client.run_on_scheduler(_plugin_names):
                    self.client.unregister_worker_plugin(PLUGIN)
            except (OSError, TimeoutError, ValueError):
                pass  # the scheduler is gone: its workers are too, or will drop the plugin with the next run's
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def _result(self, future: Future[str], job: Job) -> SubmissionResult:
        """A finished future's result, or a ``crashed`` one when grading this student killed its worker twice."""
        try:
            text = future.result()
        except KilledWorker:
            return errored(job, "the grading worker died each time it was graded, on another worker the second time")
        except JudgeLost:
            return errored(job, "the grading process died each time it was graded")
        except GraderError:
            raise
        except Exception as exc:  # noqa: BLE001 - a Dask or worker failure: the run cannot go on
            raise ClusterError(f"a grading task failed on the Dask cluster: {type(exc).__name__}: {exc}") from None
        return from_document(json.loads(text))


def errored(job: Job, reason: str) -> SubmissionResult:
    """A result for a student the cluster could not grade: every exercise ``crashed``, with ``reason``."""
    message = f"this submission could not be graded: {reason}; tell your instructor"
    return SubmissionResult(job.submission.id, notes=job.submission.notes,
                            exercises=tuple(ExerciseResult(ex.name, ex.title, ex.points, "crashed", message)
                                            for ex in job.exercises))


def _local_cluster(count: int) -> LocalCluster:
    """``count`` worker processes on this machine, one thread each, on loopback only."""
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        return LocalCluster(n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=":0", silence_logs=logging.ERROR)


def _plugin_names(dask_scheduler: Any) -> list[str]:
    return list(dask_scheduler.worker_plugins)
