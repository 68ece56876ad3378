"""grade-all on a Dask cluster: the course bundle, submissions as bytes, grading on two local workers, faults."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import ROOT, SUBMISSIONS, gradebook_rows, run_cli, subset_manifest

from grader.bulk.exports import write_outputs
from grader.bulk.grade_all import GRADEBOOK, grade_all
from grader.cluster.address import LocalWorkers, SchedulerAddress, parse_scheduler
from grader.cluster.bundle import make_bundle, unpack
from grader.cluster.submission_codec import decode, encode
from grader.course import load_course
from grader.exceptions import ClusterError, UsageError
from grader.judge.plugin import Job
from grader.submission.load import SourceFile, Submission, load_submission

distributed = pytest.importorskip("distributed")

LIMITS = {"points": 10, "time_limit": 30, "check_time_limit": 15, "memory": "512MiB", "processes": 32}
SLOW = "slow"  # sleeps at import: long enough to kill the worker grading it
WAIT = 180.0  # seconds: every wait for the cluster is bounded


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A one-exercise course and a class of three ordinary students and a slow one."""
    base = tmp_path_factory.mktemp("cluster")
    manifest = subset_manifest(base, ("pad_collate",), "cluster test", LIMITS)
    cls = base / "class"
    cls.mkdir()
    for i, variant in enumerate(sorted((SUBMISSIONS / "pad_collate").glob("*.py"))[:3]):
        (cls / f"s{i}").mkdir()
        shutil.copyfile(variant, cls / f"s{i}" / "pad_collate.py")
    (cls / SLOW).mkdir()
    solution = (ROOT / "solutions" / "pad_collate.py").read_text()
    (cls / SLOW / "pad_collate.py").write_text(solution + "\nimport time\n\ntime.sleep(6)\n")
    return manifest, cls, base


@pytest.fixture(scope="module")
def local_book(setup: tuple[Path, Path, Path]) -> Path:
    """The class graded on this machine, the reference."""
    manifest, cls, base = setup
    course = load_course(manifest)
    write_outputs(course, grade_all(course, cls, base / "local", jobs=1).results, base / "local")
    return base / "local" / GRADEBOOK


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on loopback, each retried student allowed one worker death; closed at the end."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                         dashboard_address=None, silence_logs=logging.ERROR)
    try:
        client = distributed.Client(local)
        try:
            yield local, client
        finally:
            client.close()
    finally:
        local.close()


def _busy_pid(dask_worker) -> int | None:
    """On a worker: its pid while it runs a task."""
    return os.getpid() if dask_worker.state.executing else None


def _kill_busy_worker(client, exclude: int | None = None) -> int:
    """SIGKILL the worker process that is running a task (waits for one); its pid."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        pids = [p for p in client.run(_busy_pid, on_error="ignore").values() if isinstance(p, int) and p != exclude]
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            return pids[0]
        time.sleep(0.1)
    raise AssertionError("no worker was grading")


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _in_thread(target: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


# ---------------------------------------------------------------- plain data: no cluster needed


def test_scheduler_forms():
    assert parse_scheduler("local:3") == LocalWorkers(3)
    assert parse_scheduler("tcp://10.0.0.1:8786") == SchedulerAddress("tcp://10.0.0.1:8786")
    assert parse_scheduler("node7:8786") == SchedulerAddress("tcp://node7:8786")
    assert parse_scheduler("tls://sched.example.org:8786") == SchedulerAddress("tls://sched.example.org:8786")
    for bad in ("local:0", "local:x", "http://x", "nowhere", "tcp://host"):
        with pytest.raises(UsageError):
            parse_scheduler(bad)


def test_bundle_is_deterministic_verified_and_grades_alike(setup, tmp_path):
    manifest, _, _ = setup
    course = load_course(manifest)
    bundle = make_bundle(course)
    assert make_bundle(load_course(manifest)) == bundle
    with pytest.raises(ClusterError, match="damaged"):
        unpack(bundle.data[:-1] + b"x", bundle.sha256, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
    there = load_course(unpack(bundle.data, bundle.sha256, tmp_path / "good"))
    for mine, theirs in zip(course.exercises, there.exercises, strict=True):
        grading = [f.name for f in fields(mine) if f.metadata.get("grading")] + ["name", "title", "defines"]
        assert [getattr(mine, k) for k in grading] == [getattr(theirs, k) for k in grading]
        assert [p.read_bytes() for p in mine.check_files(True)] == [p.read_bytes() for p in theirs.check_files(True)]
    assert there.preload == course.preload


def test_submission_round_trip():
    sub = Submission("st\udcffudent", {
        "pad_collate": SourceFile("pad_collate", "hw/pad\u00e9.ipynb", "x = 1\n", None, ((0, "x = 1\n"),),
                                  (("helper", "y = 2\n"),)),
        "text_clean": SourceFile("text_clean", "text_clean.py", None, "not UTF-8"),
    }, ("a note",), {"subset_split": "subsetsplit.py"})
    data = encode(sub)
    assert decode(data) == sub and encode(decode(data)) == data
    with pytest.raises(ValueError):
        decode(b'{"id": 3}')


# ---------------------------------------------------------------- on a cluster


@pytest.mark.slow
def test_cluster_grades_like_local_despite_a_killed_worker(setup, local_book, cluster):
    """Two workers grade the class into the local path's gradebook, though the worker grading a student dies."""
    manifest, cls, base = setup
    local, client = cluster
    done: list[str] = []
    notes: list[str] = []
    thread, outcome = _in_thread(lambda: grade_all(load_course(manifest), cls, base / "dask",
                                                   scheduler=local.scheduler_address, on_note=notes.append,
                                                   on_result=lambda r: done.append(r.submission)))
    _until(lambda: len(done) == 3 or not thread.is_alive())
    assert SLOW not in done
    _kill_busy_worker(client)  # the only student left: the slow one
    thread.join(WAIT)
    assert "error" not in outcome, outcome
    assert outcome["value"].failed == [] and sorted(done) == ["s0", "s1", "s2", SLOW]
    assert gradebook_rows(base / "dask" / GRADEBOOK, texts=True) == gradebook_rows(local_book, texts=True)
    assert notes and notes[0].startswith("Dask dashboard: ")


@pytest.mark.slow
def test_student_who_kills_workers_twice_is_errored_and_bundles_must_match(setup, cluster):
    """A student graded while its worker dies twice is recorded as crashed; another course's task is refused."""
    from grader.cluster.graders import ClusterGraders
    from grader.cluster.worker import BundleMismatch, worker_layers

    manifest, cls, _ = setup
    local, client = cluster
    client.wait_for_workers(2, timeout=WAIT)
    course = load_course(manifest)
    graders = ClusterGraders(course, local.scheduler_address, lambda note: None)
    try:
        jobs = [Job(load_submission(cls / sid, course.names, sid), course.exercises) for sid in ("s0", SLOW)]
        results = {}
        thread, outcome = _in_thread(lambda: graders.grade(jobs, lambda r: results.__setitem__(r.submission, r)))
        _until(lambda: "s0" in results or not thread.is_alive())
        first = _kill_busy_worker(graders.client)
        _kill_busy_worker(graders.client, exclude=first)  # the slow student again, on the other worker
        thread.join(WAIT)
        assert outcome.get("value") == [], outcome
        assert results["s0"].exercises[0].status == "graded"
        slow = results[SLOW]
        assert [e.status for e in slow.exercises] == ["crashed"] and slow.score == 0
        assert "the grading worker died each time it was graded" in slow.exercises[0].message

        with pytest.raises(BundleMismatch, match=r"holds course bundle [0-9a-f]{12}…, the run needs 000000000000…"):
            graders.client.submit(worker_layers, "0" * 64, pure=False).result(timeout=WAIT)
    finally:
        graders.close()


@pytest.mark.slow
def test_cli_grades_on_a_local_cluster(setup, local_book):
    manifest, cls, base = setup
    out = base / "cli"
    proc = run_cli("grade-all", str(cls), "--out", str(out), "--course", str(manifest), "--scheduler", "local:2",
                   timeout=WAIT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Dask dashboard" in proc.stdout
    assert gradebook_rows(out / GRADEBOOK, texts=True) == gradebook_rows(local_book, texts=True)
    assert (out / "gradebook.csv").read_text() == (local_book.parent / "gradebook.csv").read_text()


def test_scheduler_address_is_checked_first(monkeypatch, capsys, tmp_path):
    from conftest import run_main

    proc = run_main(monkeypatch, capsys, "grade-all", str(SUBMISSIONS), "--out", str(tmp_path / "out"),
                    "--scheduler", "http://example.org")
    assert proc.returncode == UsageError.exit_code and "not local:N or a scheduler address" in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler_is_a_cluster_error(setup, monkeypatch):
    from grader.cluster import graders

    monkeypatch.setattr(graders, "CONNECT_TIMEOUT", 1)
    with pytest.raises(ClusterError, match=r"could not reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        graders.ClusterGraders(load_course(setup[0]), "127.0.0.1:9", lambda note: None)
    assert ClusterError.exit_code == 8
