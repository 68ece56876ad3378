"""Checking one exercise where a student works: dlgrade's notebook check, ``--watch``, and otter's ``grader.check``.

``python -m benchmarks.checking [--repeats N]`` times, on ``pad_collate``
(the reference solution, public checks only):

- dlgrade in a notebook: a real kernel (jupyter_client) that ran the
  student's cells, then ``check("pad_collate")`` cells, each timed as the
  frontend waits for it. The first check starts the check server
  (interpreter, torch, the sandbox); later ones reuse it. Also the first
  check of a second kernel whose ``%load_ext grader`` started the server
  while the student worked (a pause of ``--pause`` seconds).
- ``dlgrade check --watch``: save-to-verdict latency
  (:func:`benchmarks.watch_latency.measure_watch`).
- otter: ``grader.check("q1")`` in a kernel of the peers' environment
  (:mod:`benchmarks.peers` installs it), one question whose OK-format test
  cases call the same public checks in the student's kernel (:mod:`benchmarks.peer_checks`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbformat.v4 import new_code_cell, new_notebook

from benchmarks.classgen import ROOT, SOLUTIONS
from benchmarks.inproc import load_checks
from benchmarks.peers import ensure_venv, peer_env, venv_python
from benchmarks.watch_latency import measure_watch
from grader.course import load_course

EXERCISE = "pad_collate"
WORK = ROOT / "benchmarks" / ".work" / "checking"  # under the checkout: the notebook check finds its course.toml
CELL_TIMEOUT = 300.0


@dataclass
class Timing:
    name: str
    first: float | None = None
    repeats: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def repeat(self) -> float | None:
        return statistics.median(self.repeats) if self.repeats else None


class Kernel:
    """A kernel of ``spec`` started in ``cwd``; ``run`` executes one cell and returns (seconds, its output text)."""

    def __init__(self, spec: str, cwd: Path, env: dict[str, str], kernel_dirs: list[str] | None = None) -> None:
        specs = KernelSpecManager(kernel_dirs=kernel_dirs) if kernel_dirs else KernelSpecManager()
        self.km = KernelManager(kernel_name=spec, kernel_spec_manager=specs)
        self.km.start_kernel(cwd=str(cwd), env=env)
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code: str) -> tuple[float, str]:
        out: list[str] = []

        def collect(msg: dict[str, Any]) -> None:
            content = msg["content"]
            data = content.get("data", {})
            out.append(data.get("text/html") or data.get("text/plain") or content.get("text", "")
                       or "\n".join(content.get("traceback", [])))

        started = time.perf_counter()
        reply = self.kc.execute_interactive(code, timeout=CELL_TIMEOUT, output_hook=collect)
        seconds = time.perf_counter() - started
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"cell failed: {code[:60]!r}: {''.join(out)[-1000:]}")
        return seconds, "".join(out)

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def _student_cells() -> list[str]:
    return [(SOLUTIONS / f"{EXERCISE}.py").read_text()]


def _notebook(path: Path, cells: list[str]) -> None:
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def _kernel_env(notebook: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "JPY_"))}
    return {**env, "JPY_SESSION_NAME": str(notebook), "IPYTHONDIR": str(WORK / "ipython")}


def dlgrade_notebook(repeats: int, pause: float) -> list[Timing]:
    """The first and repeated ``check`` cells in one kernel; the first check after ``%load_ext`` in another."""
    notebook = WORK / "dlgrade" / f"{EXERCISE}.ipynb"
    check = f'check("{EXERCISE}")'
    _notebook(notebook, [*_student_cells(), f"from grader import check\n{check}"])
    cold = Timing("dlgrade notebook check()")
    kernel = Kernel("python3", notebook.parent, _kernel_env(notebook))
    try:
        for cell in _student_cells():
            kernel.run(cell)
        kernel.run("from grader import check")
        cold.first, html = kernel.run(check)
        if "2 / 2</strong>" not in html:
            raise RuntimeError(f"the notebook check did not give full marks: {html[-2000:]}")
        cold.repeats = [kernel.run(check)[0] for _ in range(repeats)]
    finally:
        kernel.close()
    warm = Timing("  after %load_ext grader", note=f"the server started in the background, {pause:g} s earlier")
    kernel = Kernel("python3", notebook.parent, _kernel_env(notebook))
    try:
        kernel.run("%load_ext grader")
        for cell in _student_cells():
            kernel.run(cell)
        time.sleep(pause)
        warm.first = kernel.run(f"%dlgrade check {EXERCISE}")[0]
    finally:
        kernel.close()
    return [cold, warm]


def watch(repeats: int) -> Timing:
    """``dlgrade check --watch``: the first verdict, then save-to-verdict latency."""
    numbers = measure_watch(repeats, EXERCISE)
    return Timing("dlgrade check --watch (save to verdict)", numbers["first_check_s"], [numbers["median_s"]],
                  note=f"session start {numbers['session_start_s']:.1f} s before the first check")


def _otter_tests(folder: Path) -> None:
    """``folder/q1.py``: one question, one OK-format case per public check of the exercise, with its points."""
    folder.mkdir(parents=True, exist_ok=True)
    public = load_course(ROOT / "course.toml").exercise(EXERCISE).public_checks
    cases = []
    for name, _, points in load_checks(public):
        code = (f">>> import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                f">>> from benchmarks.peer_checks import run_check\n"
                f">>> run_check(globals(), {EXERCISE!r}, {name!r})\n")
        cases.append({"code": code, "hidden": False, "locked": False, "points": points})
    test = {"name": "q1", "points": sum(c["points"] for c in cases),
            "suites": [{"cases": cases, "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
    (folder / "q1.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")


def otter(repeats: int, log: Path) -> Timing:
    """otter's ``grader.check("q1")`` in a kernel of the peers' environment."""
    timing = Timing('otter grader.check("q1")')
    reason = ensure_venv(log)
    if reason:
        timing.note = f"otter: not installed ({reason})"
        return timing
    folder = WORK / "otter"
    _otter_tests(folder / "tests")
    notebook = folder / f"{EXERCISE}.ipynb"
    setup = 'import otter\ngrader = otter.Notebook(tests_dir="tests")'
    _notebook(notebook, [setup, *_student_cells(), 'grader.check("q1")'])
    spec = folder / "kernels" / "otter-peers"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(venv_python()), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "otter peers", "language": "python"}))
    env = {**peer_env(), "IPYTHONDIR": str(WORK / "ipython")}
    kernel = Kernel("otter-peers", folder, env, kernel_dirs=[str(folder / "kernels")])
    try:
        setup_seconds, _ = kernel.run(setup)
        for cell in _student_cells():
            kernel.run(cell)
        timing.first, out = kernel.run('grader.check("q1")')
        if "passed!" not in out:
            raise RuntimeError(f"otter's check did not pass: {out[-2000:]}")
        timing.repeats = [kernel.run('grader.check("q1")')[0] for _ in range(repeats)]
        timing.note = f"`import otter; otter.Notebook(...)` before it: {setup_seconds:.2f} s"
    finally:
        kernel.close()
    return timing


def _seconds(value: float | None) -> str:
    return f"{value:8.2f}" if value is not None else "       -"


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.checking", description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="repeated checks timed (default 5; the median is shown)")
    p.add_argument("--pause", type=float, default=10.0, help="seconds between %%load_ext grader and the first check")
    p.add_argument("--no-otter", action="store_true", help="skip otter")
    args = p.parse_args(argv)
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    rows = dlgrade_notebook(args.repeats, args.pause)
    rows.append(watch(args.repeats))
    if not args.no_otter:
        rows.append(otter(args.repeats, WORK / "otter-install.log"))
    print(f"checking {EXERCISE} (public checks, the reference solution): seconds; repeat = median of {args.repeats}")
    print(f"{'':42s} {'first':>8s} {'repeat':>8s}")
    for row in rows:
        print(f"{row.name:42s} {_seconds(row.first)} {_seconds(row.repeat)}  {row.note}")


if __name__ == "__main__":
    main(sys.argv[1:])
