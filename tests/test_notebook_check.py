"""Checking from a notebook: ``%dlgrade check`` and ``grader.check`` in a real kernel, through the check server.

One kernel runs every step (nbclient, a real ipykernel): the verdict is the
saved file's, through the same engine as ``dlgrade check``; unsaved changes
are said first; the kernel imports no grader internals; and no server,
zygote or runner outlives the kernel.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest
from conftest import subset_manifest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from grader.course import load_course
from grader.notebook_check.locate import NotFound, Target, find_target
from grader.notebook_check.magic import USAGE, dlgrade
from grader.notebook_check.unsaved import has_unsaved_changes
from grader.report import notebook_html
from grader.results import CheckResult, ExerciseResult, SubmissionResult
from grader.sandbox.notebook_runner import neutralise_shell_lines

IMPORTS = "import torch\nfrom torch.nn.utils.rnn import pad_sequence\nfrom torch.utils.data import DataLoader"
HOSTILE = "<script>alert(1)</script>"
FRONT_PADDING = f"""\
def pad_collate(batch, pad_value=0):
    print({HOSTILE!r})
    seqs = [torch.as_tensor(s).flip(0) for s, _ in batch]
    padded = pad_sequence(seqs, batch_first=True, padding_value=pad_value).flip(1)
    return padded, torch.tensor([len(s) for s in seqs]), torch.tensor([y for _, y in batch])

def make_loader(dataset, batch_size, shuffle=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=pad_collate)
"""
CORRECT = FRONT_PADDING.replace(".flip(0)", "").replace(".flip(1)", "").replace(f"    print({HOSTILE!r})\n", "")
SERVER = "grader.notebook_check.server"
ALLOWED_MODULES = {"grader", "grader.notebook_check", "grader.notebook_check.client", "grader.notebook_check.magic",
                   "grader.notebook_check.locate", "grader.notebook_check.unsaved"}
KERNEL_MODULES = """\
import json, sys
from grader.notebook_check import client
print(json.dumps({"grader": sorted(m for m in sys.modules if m.split(".")[0] == "grader"),
                  "judge": sorted(m for m in ("pytest", "_pytest", "jinja2", "rich") if m in sys.modules),
                  "check_files": sorted(m for m, mod in list(sys.modules.items())
                                        if any(part in str(getattr(mod, "__file__", "") or "")
                                               for part in ("test_public", "hidden"))),
                  "server": client._server.proc.pid}))
"""


def _save(path: Path, cells: list[tuple[str, int | None]]) -> None:
    """Write the notebook as Jupyter saves it: each code cell with the execution count of its last run."""
    nb = new_notebook(cells=[new_code_cell(source, execution_count=count) for source, count in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


def _server_processes(marker: str) -> list[int]:
    """Live processes of the check server started for ``marker`` (its folder): server, template, zygotes, runners."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if SERVER.encode() in cmdline and marker.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found


@pytest.mark.slow
def test_a_notebook_checks_its_saved_file_in_a_real_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subset_manifest(tmp_path, ("pad_collate",), "notebook course", {"points": 10})
    folder = tmp_path / "hw"
    (folder / "py").mkdir(parents=True)
    notebook = folder / "pad_collate.ipynb"
    _save(notebook, [("%load_ext grader", None), (IMPORTS, None), (FRONT_PADDING, None),
                     ("%dlgrade check pad_collate", None), ('from grader import check\ncheck("pad_collate")', None)])
    (folder / "py" / "pad_collate.py").write_text(f"{IMPORTS}\n{FRONT_PADDING}")
    monkeypatch.setenv("JPY_SESSION_NAME", "hw/pad_collate.ipynb")  # relative to the server's root, as Jupyter says it
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    nb = new_notebook()
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}})

    def run(source: str) -> str:
        """Execute one cell in the kernel; its HTML output (or its printed text)."""
        cell = new_code_cell(source)
        nb.cells.append(cell)
        client.execute_cell(cell, len(nb.cells) - 1)
        html = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
        return "".join(html) or "".join(o.get("text", o.get("data", {}).get("text/plain", "")) for o in cell.outputs)

    with client.setup_kernel():
        run("%load_ext grader")  # execution 1: the server starts in the background
        run(IMPORTS)
        run(FRONT_PADDING)
        buggy = run("%dlgrade check pad_collate")  # execution 4
        assert "<strong>pad_collate: 0 / 2</strong>" in buggy
        assert "✗</span> Pads a batch of two sequences (0 / 1)" in buggy
        assert "got [[1, 2, 3], [0, 0, 4]]" in buggy
        assert notebook_html.HIDDEN in buggy and '<div class="hint">' not in buggy
        assert notebook_html.UNSAVED not in buggy
        assert "cell " not in buggy  # the checker's own cells are no-ops while grading: no note, no error
        assert HOSTILE not in buggy and "&lt;script&gt;alert(1)&lt;/script&gt;" in buggy  # printed: shown, inert
        assert '<div class="hint">' in run("%dlgrade hint pad_collate")  # execution 5

        run(CORRECT)  # execution 6, then saved: the earlier buggy run is saved over
        _save(notebook, [("%load_ext grader", 1), (IMPORTS, 2), (CORRECT, 6)])
        correct = run('from grader import check\ncheck("pad_collate")')
        assert "<strong>pad_collate: 2 / 2</strong>" in correct and "✗" not in correct
        assert "✓</span> make_loader returns a loader whose batches are padded (1 / 1)" in correct
        assert notebook_html.UNSAVED not in correct

        run(FRONT_PADDING.replace("print(", "pass  # print("))  # edited and run, never saved
        stale = run("%dlgrade check pad_collate")
        assert stale.index(notebook_html.UNSAVED) < stale.index("pad_collate: 2 / 2")  # the note, then the verdict

        python_file = run('check("py/pad_collate.py")')  # a .py exercise: its own verdict, no history to compare
        assert "Checked pad_collate.py" in python_file and "pad_collate: 0 / 2" in python_file
        assert notebook_html.UNSAVED not in python_file

        state = json.loads(run(KERNEL_MODULES))
        assert set(state["grader"]) <= ALLOWED_MODULES, state["grader"]
        assert state["judge"] == [] and state["check_files"] == []
        assert state["server"] in _server_processes(str(folder))
        os.kill(state["server"], signal.SIGKILL)  # a server that died is replaced at the next check
        assert "pad_collate: 2 / 2" in run('check("pad_collate")')
    deadline = time.monotonic() + 30
    while _server_processes(str(folder)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _server_processes(str(folder)) == []


def test_the_html_keeps_student_text_inert(tmp_path: Path) -> None:
    course = load_course(subset_manifest(tmp_path, ("pad_collate",), "c", {"points": 10}))
    check = CheckResult(name="Pads", max_score=1, status="failed", feedback=f"got {HOSTILE}",
                        hint="use pad_sequence")
    result = SubmissionResult(f"{HOSTILE}.ipynb", mode="check", exercises=(ExerciseResult(
        "pad_collate", "t", 1, "graded", output=f"{HOSTILE}\x1b[2J", checks=(check,)),))
    page = notebook_html.render(result, course, hints=True, unsaved=True)
    assert "<script>" not in page and page.count("&lt;script&gt;") == 3 and "\\x1b[2J" in page
    assert "hint: use pad_sequence" in page and notebook_html.UNSAVED in page
    error = notebook_html.render_error(f"no exercise named '{HOSTILE}'")
    assert "<script>" not in error and "&lt;script&gt;" in error


def test_unsaved_changes_are_told_from_the_history(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    _save(path, [("x = 1", 2), ("y = 2", None)])
    assert not has_unsaved_changes(["", "%load_ext grader", "x = 1", "y = 2\n", "%dlgrade check nb"], path)
    assert has_unsaved_changes(["", "x = 1", "y = 3", "%dlgrade check nb"], path)
    assert not has_unsaved_changes(["", "x = 0", "x = 1", "check('nb')"], path)  # x = 0 was run, then saved over
    assert has_unsaved_changes(["", "x = 0", "check('nb')"], path)  # counts of another kernel: every entry counts
    assert not has_unsaved_changes(["", "x = 5", "check('nb')"], tmp_path / "missing.ipynb")


def test_the_file_to_check_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    (tmp_path / "pad_collate.py").write_text("")
    (tmp_path / "homework.ipynb").write_text("{}")
    assert find_target("pad_collate", None, {}) == Target(tmp_path / "pad_collate.py", "pad_collate", False)
    session = {"__session__": str(tmp_path / "homework.ipynb")}
    assert find_target("pad_collate", None, session) == Target(tmp_path / "homework.ipynb", "pad_collate", True)
    assert find_target("homework.ipynb", None, {}).own  # no session known: a notebook is taken for the kernel's
    assert find_target("pad_collate", "homework.ipynb", {}).exercise == "pad_collate"
    with pytest.raises(NotFound, match="give the file"):
        find_target("text_clean", None, {})
    with pytest.raises(NotFound, match="does not exist"):
        find_target("nope/pad_collate.py", None, {})


def test_the_checker_lines_are_no_ops_while_grading(capsys: pytest.CaptureFixture[str]) -> None:
    assert neutralise_shell_lines("%load_ext grader\n  %dlgrade check x\nx = 1") == ("pass\n  pass\nx = 1", [])
    dlgrade("grade pad_collate")
    assert capsys.readouterr().out.strip() == USAGE
