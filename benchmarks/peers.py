"""The graders a course would otherwise pick, on the same students and checks: nbgrader and otter.

Both are installed from PyPI into ``benchmarks/.peers-venv`` (never into the
project's environment). They need torch to run the checks; rather than a
second multi-gigabyte torch, that venv gets, after its own packages are
installed, a ``.pth`` line that appends the project venv's site-packages to
its path (its own packages stay first; nothing is written into the project's venv).

Both grade ONE exercise, ``pad_collate``, as one notebook per student: the
student's code in the answer cell, and one hidden test cell (nbgrader) or
one hidden OK-format test case (otter) per dlgrade check, with its points,
calling the same check function (:mod:`benchmarks.peer_checks`). Every peer
command runs under a wall-clock timeout, so an endless loop cannot hang the
benchmark; what happened is reported.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.classgen import HOSTILE, ROOT, SOLUTIONS, variants

EXERCISE = "pad_collate"
VENV = ROOT / "benchmarks" / ".peers-venv"
STAMP = VENV / ".installed"
PACKAGES = ["nbgrader", "otter-grader"]
INSTALL_TIMEOUT = 1200
PTH = "zz_dlgrade_bench_project.pth"


@dataclass
class PeerResult:
    name: str
    available: bool
    reason: str = ""
    students: int = 0
    batch_wall: float = 0.0  # seconds for the batch of ordinary students
    alone_wall: float = 0.0  # one ordinary student alone
    per_student: float = 0.0
    endless: str = ""
    endless_wall: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the environment

def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv(log: Path) -> str | None:
    """Create the peers' venv and install nbgrader and otter-grader; ``None`` when ready, else why not."""
    if STAMP.exists() and venv_python().exists():
        return None
    try:
        if not venv_python().exists():
            subprocess.run([_base_python(), "-m", "venv",
                            str(VENV)], check=True, capture_output=True, timeout=300)
        with log.open("w") as fh:
            done = subprocess.run([str(venv_python()), "-m", "pip", "install", *PACKAGES], stdout=fh,
                                  stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT)
        if done.returncode != 0:
            tail = log.read_text().strip().splitlines()[-1:] or ["pip failed"]
            return f"pip install failed: {tail[0][:160]}"
        where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        purelib = subprocess.run([str(venv_python()), "-c", where], capture_output=True, text=True,
                                 check=True).stdout.strip()
        project = sysconfig.get_paths()["purelib"]
        Path(purelib, PTH).write_text(f"import site; site.addsitedir({project!r})\n")
        STAMP.write_text(" ".join(PACKAGES) + "\n")
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _base_python() -> str:
    """The interpreter the project venv was made from (a venv of a venv would chain its packages)."""
    return getattr(sys, "_base_executable", None) or shutil.which("python3") or "python3"


def peer_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "JUPYTER", "IPYTHON"))}
    env["PATH"] = f"{VENV / 'bin'}:{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("VIRTUAL_ENV", None)
    return env


def run_bounded(cmd: list[str], cwd: Path, timeout: float, log: Path) -> tuple[float, str]:
    """Run ``cmd`` in its own session; kill the whole session at ``timeout``. (wall, "ok"|"exit N"|"killed")."""
    started = time.perf_counter()
    with log.open("a") as fh:
        fh.write(f"$ {' '.join(cmd)}\n")
        fh.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, env=peer_env(), stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
            outcome = "ok" if code == 0 else f"exit {code}"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            outcome = "killed"
    return time.perf_counter() - started, outcome


# ---------------------------------------------------------------- the students

def peer_students(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """(id, pad_collate code): one endless-loop student, then ordinary ones (correct or buggy, seeded)."""
    rng = random.Random(seed + 1)
    correct, buggy = variants(EXERCISE)
    out = [("p00-endless", (SOLUTIONS / f"{EXERCISE}.py").read_text() + "\n\n" + HOSTILE["loop"][1])]
    for i in range(1, n):
        pick = rng.choice(correct) if rng.random() < 0.4 else rng.choice(buggy)
        out.append((f"p{i:02d}-{pick.stem.replace('_', '-')}", pick.read_text()))
    return out


def check_list() -> list[tuple[str, float]]:
    """(check name, points) of the exercise, in dlgrade's order (public, then hidden)."""
    from benchmarks.peer_checks import checks_of

    return [(name, pts) for name, (_, pts) in checks_of(EXERCISE).items()]


def _hidden_call(check: str) -> str:
    return (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            f"from benchmarks.peer_checks import run_check\n"
            f"run_check(globals(), {EXERCISE!r}, {check!r})")


# ---------------------------------------------------------------- nbgrader

def _nbgrader_source() -> Any:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    solution = (SOLUTIONS / f"{EXERCISE}.py").read_text()
    solution = solution.replace("# BEGIN SOLUTION", "### BEGIN SOLUTION").replace("# END SOLUTION",
                                                                                    "### END SOLUTION")
    answer = new_code_cell(solution)
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "answer", "locked": False, "schema_version": 3,
                                   "solution": True, "task": False}
    cells = [new_markdown_cell(f"# {EXERCISE}"), answer]
    for check, pts in check_list():
        cell = new_code_cell(f"### BEGIN HIDDEN TESTS\n{_hidden_call(check)}\n### END HIDDEN TESTS")
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": check, "locked": True, "points": pts,
                                     "schema_version": 3, "solution": False, "task": False}
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb, nbformat


def run_nbgrader(work: Path, students: list[tuple[str, str]], log: Path, timeout: float) -> PeerResult:
    """``nbgrader autograde``: a batch of the ordinary students, one alone, and the endless one alone."""
    result = PeerResult("nbgrader autograde", True)
    course = work / "nbgrader"
    if course.exists():
        shutil.rmtree(course)
    (course / "source" / "ps1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.root = {str(course)!r}\n")
    nb, nbformat = _nbgrader_source()
    nbformat.write(nb, str(course / "source" / "ps1" / f"{EXERCISE}.ipynb"))
    nbg = str(VENV / "bin" / "nbgrader")
    _, outcome = run_bounded([nbg, "db", "assignment", "add", "ps1"], course, 300, log)
    _, outcome = run_bounded([nbg, "generate_assignment", "ps1", "--force"], course, 600, log)
    released = course / "release" / "ps1" / f"{EXERCISE}.ipynb"
    if outcome != "ok" or not released.exists():
        return PeerResult(result.name, False, f"generate_assignment failed ({outcome}); see {log.name}")
    for sid, code in students:
        student_nb = nbformat.read(str(released), as_version=4)
        for cell in student_nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = code
        folder = course / "submitted" / sid / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(student_nb, str(folder / f"{EXERCISE}.ipynb"))
    ordinary = [sid for sid, _ in students if "endless" not in sid]
    endless = [sid for sid, _ in students if "endless" in sid]
    # one ordinary student alone (start-up included), then the batch of all ordinary students
    result.alone_wall, _ = run_bounded([nbg, "autograde", "ps1", "--create", "--force", "--student", ordinary[0]],
                                       course, timeout, log)
    wall, outcome = run_bounded([nbg, "autograde", "ps1", "--create", "--force",
                                 f"--CourseDirectory.student_id_exclude={','.join(endless)}"], course,
                                timeout * len(ordinary), log)
    result.batch_wall, result.students = wall, len(ordinary)
    result.per_student = wall / max(len(ordinary), 1)
    if outcome != "ok":
        result.notes.append(f"batch: {outcome}")
    if endless:
        wall, outcome = run_bounded([nbg, "autograde", "ps1", "--create", "--force", "--student", endless[0]],
                                    course, timeout, log)
        result.endless_wall = wall
        result.endless = _nbgrader_endless(course, endless[0], outcome, wall)
    result.scores = _nbgrader_scores(course, log)
    return result


def _nbgrader_endless(course: Path, sid: str, outcome: str, wall: float) -> str:
    graded = course / "autograded" / sid / "ps1" / f"{EXERCISE}.ipynb"
    if outcome == "killed":
        return f"hung: killed from outside after {wall:.0f} s, no result"
    if not graded.exists():
        return f"no result ({outcome}) after {wall:.0f} s"
    text = graded.read_text()
    timeouts = text.count("CellTimeoutError") + text.count("Timeout")
    return f"cut off at its cell timeout (30 s); result kept ({wall:.0f} s in all, {timeouts} timeout marks)"


def _nbgrader_scores(course: Path, log: Path) -> dict[str, float]:
    code = ("import json, sys\nfrom nbgrader.api import Gradebook\n"
            f"gb = Gradebook('sqlite:///{course / 'gradebook.db'}')\n"
            "out = {}\n"
            "for s in gb.students:\n"
            "    try:\n"
            "        out[s.id] = gb.find_submission('ps1', s.id).score\n"
            "    except Exception:\n"
            "        pass\n"
            "print(json.dumps(out))\n")
    done = subprocess.run([str(venv_python()), "-c", code], capture_output=True, text=True, env=peer_env(),
                          timeout=120)
    try:
        return {k: float(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}
    except (ValueError, IndexError):
        with log.open("a") as fh:
            fh.write(done.stderr)
        return {}


# ---------------------------------------------------------------- otter

def _otter_tests(folder: Path) -> None:
    folder.mkdir(parents=True)
    for check, pts in check_list():
        code = ">>> " + _hidden_call(check).replace("\n", "\n>>> ") + "\n"
        test = {"name": check, "points": pts, "suites": [{"cases": [{"code": code, "hidden": True, "locked": False}],
                                                          "scored": True, "setup": "", "teardown": "",
                                                          "type": "doctest"}]}
        (folder / f"{check}.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")


def run_otter(work: Path, students: list[tuple[str, str]], log: Path, timeout: float) -> PeerResult:
    """``otter run`` per submission (no Docker): the ordinary students one by one, then the endless one."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    result = PeerResult("otter run", True)
    root = work / "otter"
    if root.exists():
        shutil.rmtree(root)
    _otter_tests(root / "tests")
    otter = str(VENV / "bin" / "otter")
    _, outcome = run_bounded([otter, "generate", "-t", "tests", "-o", "autograder.zip", "--no-requirements",
                              "--no-environment", "--no-config"], root, 600, log)
    if outcome != "ok" or not (root / "autograder.zip").exists():
        return PeerResult(result.name, False, f"otter generate failed ({outcome}); see {log.name}")
    walls = []
    for sid, code in students:
        folder = root / "submissions" / sid
        folder.mkdir(parents=True)
        nb = new_notebook(cells=[new_markdown_cell(f"# {EXERCISE}"), new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"{EXERCISE}.ipynb"
        nbformat.write(nb, str(path))
        out = folder / "out"
        out.mkdir()
        wall, outcome = run_bounded([otter, "run", "-a", str(root / "autograder.zip"), "-o", str(out), "--no-logo",
                                     str(path)], folder, timeout, log)
        score = _otter_score(out)
        if score is not None:
            result.scores[sid] = score
        if "endless" in sid:
            result.endless_wall = wall
            if outcome == "killed":
                result.endless = f"hung: killed from outside at the benchmark's {timeout:.0f} s timeout, no result"
            else:
                result.endless = f"{outcome} after {wall:.0f} s, " + ("a result" if score is not None else "no result")
        else:
            walls.append(wall)
            if outcome != "ok":
                result.notes.append(f"{sid}: {outcome}")
    result.students = len(walls)
    result.batch_wall = sum(walls)
    result.per_student = result.batch_wall / max(len(walls), 1)
    result.alone_wall = walls[0] if walls else 0.0
    return result


def _otter_score(out: Path) -> float | None:
    path = out / "results.json"
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text())
    except ValueError:
        return None
    if "score" in doc:
        return float(doc["score"])
    return float(sum(t.get("score", 0) for t in doc.get("tests", [])))


# ---------------------------------------------------------------- dlgrade on the same students

def run_dlgrade_same(work: Path, students: list[tuple[str, str]], log: Path) -> PeerResult:
    """dlgrade on the peers' students: the ordinary ones in one ``grade-all``, the endless one alone."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from benchmarks.dlgrade_runs import grade_json, run_grade_all

    result = PeerResult("dlgrade grade-all --jobs 1", True)
    folder = work / "peer-class"
    if folder.exists():
        shutil.rmtree(folder)
    paths = {}
    for sid, code in students:
        (folder / sid).mkdir(parents=True)
        nb = new_notebook(cells=[new_markdown_cell(f"# {EXERCISE}"), new_code_cell(code)])
        nbformat.write(nb, str(folder / sid / f"{EXERCISE}.ipynb"))
        paths[sid] = folder / sid
    endless = [sid for sid in paths if "endless" in sid]
    aside = work / "peer-endless"
    if aside.exists():
        shutil.rmtree(aside)
    aside.mkdir()
    for sid in endless:
        shutil.move(str(paths[sid]), aside / sid)
    run = run_grade_all(folder, work / "peer-out", 1, len(paths) - len(endless), log)
    result.students = run.students
    result.batch_wall = run.wall
    result.per_student = run.per_student
    result.notes.append(f"whole command {run.wall / max(run.students, 1):.2f} s per student with start-up")
    result.scores = {sid: sum(ex.values()) for sid, ex in run.scores.items()}
    if endless:
        wall, data = grade_json([aside / endless[0]], work / "peer-endless.json", ["-e", EXERCISE],
                                work / "peer-endless.log")
        result.endless_wall = wall
        if data:
            ex = data[0]["exercises"][0]
            timeouts = sum(c["status"] == "timeout" for c in ex["checks"])
            result.endless = (f"{timeouts} check(s) cut off at the 10 s check limit, the other checks graded: "
                              f"{ex['score']:g}/{ex['max_score']:g} in {data[0]['duration']:.0f} s")
            result.scores[endless[0]] = ex["score"]
        else:
            result.endless = f"no result after {wall:.0f} s"
    return result


def run_peers(work: Path, n: int, otter_n: int, timeout: float, seed: int, say: Any) -> dict[str, Any]:
    """Install (when missing) and run both peers and dlgrade on the same students; plain data for the report."""
    log = work / "peers.log"
    log.write_text("")
    students = peer_students(max(n, otter_n, 2), seed)
    out: dict[str, Any] = {"exercise": EXERCISE, "students": [sid for sid, _ in students]}
    say("  dlgrade on the peers' students")
    results = [run_dlgrade_same(work, students[:n], work / "peer-dlgrade.log")]
    reason = ensure_venv(work / "peers-install.log")
    if reason:
        results += [PeerResult("nbgrader autograde", False, reason), PeerResult("otter run", False, reason)]
    else:
        for name, fn, count in (("nbgrader", run_nbgrader, n), ("otter", run_otter, otter_n)):
            say(f"  {name} on {count} students")
            try:
                results.append(fn(work, students[:count], log, timeout))
            except Exception as exc:  # noqa: BLE001 - a peer that breaks is reported, the benchmark goes on
                results.append(PeerResult(name, False, f"{type(exc).__name__}: {exc}"[:200]))
    from dataclasses import asdict

    out["results"] = [asdict(r) for r in results]
    return out
