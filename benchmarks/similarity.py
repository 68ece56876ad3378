"""``python -m benchmarks.similarity [--n 500]``: ``dlgrade similarity`` on a generated class, in seconds.

N students hand in all nine exercises (every tenth as notebooks). Each file
starts from a variant of :mod:`benchmarks.classgen` (the reference solution, a
``correct_*`` or a ``buggy_*`` one) and is made the student's own: about half
of its one-line statements are rewritten and a helper function of the
student's is added, so independent students share only what a variant's
skeleton shares. ``--copies`` pairs of students (default 5) hand in one
exercise as a disguised copy (names changed, functions reordered, comments
added, one of the two as a notebook). Printed: the seconds of the whole run
(reading, fingerprinting, comparing, writing the pages), pairs flagged, and
where the planted copies rank. Target: under 60 s for N = 500 on two cores.
"""

from __future__ import annotations

import argparse
import ast
import io
import random
import sys
import tempfile
import time
import tokenize
from pathlib import Path

from benchmarks.classgen import ROOT, exercise_names, notebook_json, variants

FUNCTIONS = ("torch.stack", "torch.cat", "sorted", "min", "max", "sum", "np.mean", "math.floor", "len", "abs",
             "torch.randperm", "round", "torch.clamp", "list", "tuple", "enumerate", "zip", "reversed")


def _own_line(indent: str, rng: random.Random) -> str:
    """A statement only this student writes."""
    names = [f"{rng.choice('abcdefghkmnpqrstuvwxyz')}{rng.randrange(1000)}" for _ in range(3)]
    call = rng.choice(FUNCTIONS)
    return f"{indent}{names[0]} = {call}({names[1]}, {rng.randrange(100)}) * {names[2]} + {rng.randrange(50)}"


def individualise(code: str, rng: random.Random) -> str:
    """Rewrite about half of the one-line statements and add a helper of the student's own."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    lines = code.split("\n")
    simple = (ast.Assign, ast.AugAssign, ast.Expr, ast.Return)
    for node in ast.walk(tree):
        if isinstance(node, simple) and node.lineno == node.end_lineno and rng.random() < 0.5:
            line = lines[node.lineno - 1]
            lines[node.lineno - 1] = _own_line(line[: len(line) - len(line.lstrip())], rng)
    helper = [f"def helper_{rng.randrange(10**6)}(x, y):", _own_line("    ", rng), _own_line("    ", rng),
              "    return x"]
    return "\n".join([*lines, "", "", *helper]) + "\n"


def disguise(code: str, rng: random.Random) -> str:
    """A copy as a copier hides one: every name the file binds renamed, top-level code reordered, comments added."""
    tree = ast.parse(code)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)} - {"self"}
    lines = code.split("\n")
    names = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.NAME]
    for token in reversed([t for t in names if t.string in bound]):
        row, col = token.start
        lines[row - 1] = lines[row - 1][:col] + "my_" + lines[row - 1][col:]
    code = "\n".join(lines)
    tree = ast.parse(code)
    blocks = ["\n".join(lines[n.lineno - 1: n.end_lineno]) for n in tree.body]
    rng.shuffle(blocks)
    return "\n\n\n".join(f"# part {i}: my own work\n{block}" for i, block in enumerate(blocks)) + "\n"


def make_class(n: int, copies: int, folder: Path, seed: int = 0) -> list[tuple[str, str, str]]:
    """Write the class to ``folder``; returns the planted copies as (exercise, original's author, copier)."""
    rng = random.Random(seed)
    names = exercise_names()
    pools = {name: [*variants(name)[0], *variants(name)[1]] for name in names}
    students = [f"s{i:03d}" for i in range(n)]
    planted = [(names[i % len(names)], students[2 * i], students[2 * i + 1]) for i in range(min(copies, n // 2))]
    for student in students:
        (folder / student).mkdir(parents=True)
        notebook = int(student[1:]) % 10 == 1
        for name in names:
            code = individualise(rng.choice(pools[name]).read_text(encoding="utf-8"), rng)
            for exercise, _, copier in planted:
                if (exercise, copier) == (name, student):
                    original = (folder / f"s{int(student[1:]) - 1:03d}" / f"{name}.py").read_text(encoding="utf-8")
                    code = disguise(original, rng)
            if notebook:
                (folder / student / f"{name}.ipynb").write_text(notebook_json(code, name), encoding="utf-8")
            else:
                (folder / student / f"{name}.py").write_text(code, encoding="utf-8")
    return planted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.similarity", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="students (default 500)")
    parser.add_argument("--copies", type=int, default=5, help="planted disguised copies (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from grader.course import load_course
    from grader.report.similarity_html import write_similarity
    from grader.similarity.find import find_similar

    course = load_course(ROOT / "course.toml")
    with tempfile.TemporaryDirectory(prefix="dlgrade-similarity-bench-") as tmp:
        planted = make_class(args.n, args.copies, Path(tmp) / "class")
        start = time.perf_counter()
        result = find_similar(course, Path(tmp) / "class")
        write_similarity(course, result, Path(tmp) / "out")
        seconds = time.perf_counter() - start
    print(f"similarity: {args.n} students x {len(course.exercises)} exercises in {seconds:.1f} s "
          f"({result.flagged} pairs flagged)")
    for exercise, original, copier in planted:
        pairs = next(ex.pairs for ex in result.exercises if ex.name == exercise)
        rank = next((i for i, p in enumerate(pairs, 1) if {p.a.author.id, p.b.author.id} == {original, copier}), None)
        print(f"planted copy {exercise} {original}/{copier}: " + (f"rank {rank}" if rank else "NOT FLAGGED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
