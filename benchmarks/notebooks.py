"""Notebooks: dlgrade's fast engine, its ``--kernel`` engine, and plain nbclient, per notebook.

Nine students, each handing in one exercise as a notebook (the reference
solution in a student-style notebook: markdown, a magic and a shell line, a
failing exploration cell), one student per exercise. dlgrade grades all nine
in one ``dlgrade grade`` command per engine (per notebook: the grading time
dlgrade records per submission, and the command's wall time divided by nine).
Plain nbclient only executes each notebook in a fresh kernel, no checks at
all: the floor of every kernel-based grader.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.classgen import ROOT, SOLUTIONS, exercise_names, notebook_json
from benchmarks.dlgrade_runs import grade_json

NBCLIENT_SCRIPT = """
import json, sys, time
import nbformat
from nbclient import NotebookClient
out = []
for path in sys.argv[2:]:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=10, kernel_name="python3", allow_errors=True).execute()
    out.append(time.perf_counter() - started)
open(sys.argv[1], "w").write(json.dumps(out))
"""


@dataclass
class NotebookRun:
    engine: str
    count: int
    wall: float
    per_notebook: float  # dlgrade's own time per submission (or nbclient's per execution)
    scores: list[float] = field(default_factory=list)


def make_notebooks(dest: Path, names: list[str] | None = None) -> list[Path]:
    if dest.exists():
        shutil.rmtree(dest)
    paths = []
    for name in names or exercise_names():
        folder = dest / f"nb-{name}"
        folder.mkdir(parents=True)
        text = notebook_json((SOLUTIONS / f"{name}.py").read_text(), name).replace("!pip install torch\\n", "")
        (folder / f"{name}.ipynb").write_text(text, encoding="utf-8")
        paths.append(folder)
    return paths


def run_notebooks(work: Path, names: list[str] | None = None) -> list[NotebookRun]:
    paths = make_notebooks(work / "notebooks", names)
    runs = []
    for engine, extra in (("dlgrade fast engine", []), ("dlgrade --kernel", ["--kernel"])):
        tag = "kernel" if extra else "fast"
        wall, results = grade_json(paths, work / f"nb-{tag}.json", extra, work / f"nb-{tag}.log")
        durations = [r.get("duration", 0.0) for r in results]
        runs.append(NotebookRun(engine, len(paths), wall, sum(durations) / max(len(durations), 1),
                                [r.get("score", 0.0) for r in results]))
    nbs = [str(next(p.glob("*.ipynb"))) for p in paths]
    out = work / "nb-nbclient.json"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", NBCLIENT_SCRIPT, str(out), *nbs], cwd=work, check=False,
                   capture_output=True)
    wall = time.perf_counter() - started
    times = json.loads(out.read_text()) if out.exists() else []
    runs.append(NotebookRun("plain nbclient (execution only, no checks)", len(times), wall,
                            sum(times) / max(len(times), 1)))
    return runs


if __name__ == "__main__":
    for r in run_notebooks(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "benchmarks" / ".work"):
        print(r)
