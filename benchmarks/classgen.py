"""A class of N students, deterministic for a seed: correct, buggy, notebook and hostile students.

Classes are nested (the class of N is the first N students of the largest),
so one in-process limit run serves every N. Every student submits all nine
exercises (a folder of nine files). The mix is fixed by N (counts, not random
draws), so classes of different sizes have the same proportions and
per-student times are comparable:

- hostile: ``max(1, N // 25)`` endless loops (``pad_collate`` loops forever
  for a negative ``pad_value``: one check passes -1, so it costs one check
  time limit, 10 s) and ``max(1, N // 50)`` other hostile students, cycling
  through ``os._exit`` in a function, a segfault and ``sys.exit`` at import;
  all other exercises of a hostile student are ordinary;
- notebook: ``max(1, N // 10)`` students who hand in nine ``.ipynb`` files
  (markdown, a magic and a shell line, a failing exploration cell, the code);
- the rest hand in ``.py`` files.

Each exercise of a non-hostile student is the reference solution or a
``correct_*`` variant from ``tests/submissions`` with probability 0.4, else a
``buggy_*`` variant, drawn with ``random.Random(seed)``.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "tests" / "submissions"
SOLUTIONS = ROOT / "solutions"
P_CORRECT = 0.4

HOSTILE = {
    # exercise, code appended to the reference solution (a later definition overrides)
    # a loop whose exit condition never changes: endless for a negative pad_value (one check passes -1)
    "loop": ("pad_collate", "_reference = pad_collate\n\ndef pad_collate(batch, pad_value=0):\n"
                            "    while pad_value < 0:\n        pass\n    return _reference(batch, pad_value)\n"),
    "exit": ("distributed_partition", "import os\n\ndef partition_indices(*args, **kwargs):\n    os._exit(1)\n"),
    "segfault": ("gather_scatter", "import ctypes\n\ndef pick(logits, targets):\n    return ctypes.string_at(0)\n"),
    "import_exit": ("text_clean", "import sys\nsys.exit(3)\n"),
}
OTHER_HOSTILE = ("exit", "segfault", "import_exit")


@dataclass
class StudentInfo:
    id: str
    kind: str  # "py", "notebook", "hostile_loop", "hostile_exit", ...
    variants: dict[str, str] = field(default_factory=dict)  # exercise -> variant file name


@dataclass
class ClassInfo:
    n: int
    seed: int
    folder: str
    students: list[StudentInfo]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.students:
            key = "hostile" if s.kind.startswith("hostile") else s.kind
            out[key] = out.get(key, 0) + 1
        out["endless"] = sum(s.kind == "hostile_loop" for s in self.students)
        return out

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")


def exercise_names() -> list[str]:
    from grader.course import load_course

    return [ex.name for ex in load_course(ROOT / "course.toml").exercises]


def variants(exercise: str) -> tuple[list[Path], list[Path]]:
    """(correct, buggy) source files of an exercise; the reference solution counts as correct."""
    folder = SUBMISSIONS / exercise
    correct = [SOLUTIONS / f"{exercise}.py", *sorted(folder.glob("correct_*.py"))]
    return correct, sorted(folder.glob("buggy_*.py"))


def notebook_json(code: str, title: str) -> str:
    """A notebook as a student writes one: markdown, magics, a shell line, a failing exploration cell."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[
        new_markdown_cell(f"# {title}\nMy solution."),
        new_code_cell("!pip install torch\n%matplotlib inline\nimport torch\nimport numpy as np"),
        new_code_cell("probe = torch.zeros(3)\nprobe[5]  # exploring: an index error"),
        new_code_cell(code),
        new_code_cell("print('done')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def kinds_for(n: int, hostile_students: bool = True) -> list[str]:
    loops = max(1, n // 25) if hostile_students else 0
    others = max(1, n // 50) if hostile_students else 0
    kinds = ["hostile_loop"] * loops + [f"hostile_{OTHER_HOSTILE[i % 3]}" for i in range(others)]
    kinds += ["notebook"] * max(1, n // 10)
    kinds = kinds[:n]
    return kinds + ["py"] * (n - len(kinds))


def kind_order(sizes: list[int], rng: random.Random, hostile: bool = True) -> list[str]:
    """Kinds for ``max(sizes)`` students such that every prefix of a listed size has exactly that size's mix."""
    order: list[str] = []
    for n in sorted(set(sizes)):
        want = kinds_for(n, hostile)
        have = list(order)
        extra = []
        for kind in want:
            if kind in have:
                have.remove(kind)
            else:
                extra.append(kind)
        rng.shuffle(extra)
        order += extra[: n - len(order)]
    return order


def make_classes(sizes: list[int], work: Path, seed: int = 0, hostile: bool = True) -> dict[int, ClassInfo]:
    """Nested classes: the class of N is the first N students of the largest, written to ``work/class-N``.

    Nesting lets one in-process limit run (on the largest class) serve every N,
    and keeps each N's mix exactly ``kinds_for(N)``.
    """
    rng = random.Random(seed)
    names = exercise_names()
    pools = {name: variants(name) for name in names}
    files: list[tuple[StudentInfo, dict[str, str]]] = []
    for index, kind in enumerate(kind_order(sizes, rng, hostile)):
        student = StudentInfo(f"s{index:03d}-{kind.replace('_', '-')}", kind)
        sources: dict[str, str] = {}
        for name in names:
            correct, buggy = pools[name]
            pick = rng.choice(correct) if rng.random() < P_CORRECT or not buggy else rng.choice(buggy)
            code, label = pick.read_text(encoding="utf-8"), pick.name
            hostile = kind.removeprefix("hostile_")
            if kind.startswith("hostile_") and HOSTILE[hostile][0] == name:
                code = (SOLUTIONS / f"{name}.py").read_text() + "\n\n# ---- hostile ----\n" + HOSTILE[hostile][1]
                label = kind
            student.variants[name] = label
            if kind == "notebook":
                sources[f"{name}.ipynb"] = notebook_json(code, name)
            else:
                sources[f"{name}.py"] = code
        files.append((student, sources))
    classes = {}
    for n in sorted(set(sizes)):
        dest = work / f"class-{n}"
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for student, sources in files[:n]:
            (dest / student.id).mkdir()
            for fname, text in sources.items():
                (dest / student.id / fname).write_text(text, encoding="utf-8")
        classes[n] = ClassInfo(n, seed, str(dest), [s for s, _ in files[:n]])
    return classes
