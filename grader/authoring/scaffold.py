"""``dlgrade new NAME``: scaffold an exercise (solution, statement, checks, manifest entry)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from grader.course import MANIFEST, Course
from grader.exceptions import UsageError

SOLUTION = '''\
"""Exercise {number}: {title}.

Implement ``{name}``; see README.md in this folder.
"""

from __future__ import annotations

import torch


def {name}(values):
    """Return ``values`` as a float32 tensor.  (Replace with the exercise's contract.)"""
    # BEGIN SOLUTION
    return torch.as_tensor(values, dtype=torch.float32)
    # END SOLUTION
'''

STATEMENT = '''\
# Exercise {number}: {title}

## What to build (in `{name}.py`)

`{name}(values) -> Tensor`: describe the contract: names, dtypes, shapes, errors.

## Example

```python
>>> {name}([1, 2])
tensor([1., 2.])
```

## The pitfall

The classic mistake this exercise is about, and why it matters in real training code.

## Check your work

```sh
dlgrade check {name}.py
```
'''

PUBLIC = '''\
"""Public checks for {name}: run them with `dlgrade check {name}.py`."""

import pytest
import torch


@pytest.mark.points(1)
@pytest.mark.hint("Shown to students who ask, when this check fails: point at the concept, never at the answer.")
def test_small_example(student):
    """Converts a small list"""
    out = student.call("{name}", [1, 2])
    assert isinstance(out, torch.Tensor), f"{name} must return a tensor, got {{type(out).__name__}}"
    assert out.tolist() == [1.0, 2.0], f"expected [1.0, 2.0], got {{out.tolist()}}"
'''

HIDDEN = '''\
"""Hidden checks: {name} (9 points; the public checks hold 1 more)."""

import pytest
import torch


@pytest.mark.points(9)
def test_dtype(student):
    """Returns float32"""
    out = student.call("{name}", [3, 4, 5])
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32, "the result must be a float32 tensor"
'''


@dataclass(frozen=True)
class Scaffold:
    """What ``new`` created."""

    directory: Path
    files: tuple[Path, ...]


def new_exercise(course: Course, name: str, title: str) -> Scaffold:
    """Create every file of a new exercise and append its manifest entry."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise UsageError(f"{name!r} is not a Python module name (lowercase letters, digits, _)")
    if name in course.names:
        raise UsageError(f"the course already has an exercise named {name!r}")
    numbers = [int(m.group(1)) for ex in course.exercises if (m := re.match(r"(\d+)_", ex.directory.name))]
    number = max(numbers, default=0) + 1
    root = course.root
    directory = root / "exercises" / f"{number:02d}_{name}"
    hidden_dir = course.hidden_paths[0] if course.hidden_paths else root / "grader" / "hidden"
    values = {"name": name, "title": title, "number": number}
    files = {
        root / "solutions" / f"{name}.py": SOLUTION,
        directory / "README.md": STATEMENT,
        directory / "test_public.py": PUBLIC,
        hidden_dir / f"test_{name}.py": HIDDEN,
    }
    for path in files:
        if path.exists():
            raise UsageError(f"{path.relative_to(root)} already exists")
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    manifest = root / MANIFEST
    doc = tomlkit.parse(manifest.read_text(encoding="utf-8"))
    entry = tomlkit.table()
    entry.add("name", name)
    entry.add("title", title)
    entry.add("directory", directory.relative_to(root).as_posix())
    entry.add("public_checks", (directory / "test_public.py").relative_to(root).as_posix())
    entry.add("hidden_checks", (hidden_dir / f"test_{name}.py").relative_to(root).as_posix())
    entry.add("solution", f"solutions/{name}.py")
    exercises = doc.get("exercises")
    if exercises is None:
        exercises = tomlkit.aot()
        doc.add("exercises", exercises)
    exercises.append(entry)
    manifest.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return Scaffold(directory, tuple(files))
