"""The notebook form of a stub: a cell saying how to check it, then the stub's code, one cell per top-level block.

Generated with nbformat, with fixed cell ids so the same stub always gives
the same file (a test compares the committed notebooks with this).
"""

from __future__ import annotations

import ast

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HOW_TO_CHECK = """\
**Check your work.** Save the notebook first (the checks read the saved file), then run in a code cell:

```python
%load_ext grader
%dlgrade check {name}
```

or `from grader import check; check("{name}")`. `%dlgrade hint {name}` shows hints for the checks that fail.
From a terminal: `dlgrade check {name}.ipynb`. Only the public checks run here; your grade comes from more checks."""


def notebook_from_stub(stub: str, name: str) -> str:
    """The ``.ipynb`` text for a stub module called ``name``."""
    tree = ast.parse(stub)
    lines = stub.splitlines()
    cells = [new_markdown_cell(HOW_TO_CHECK.format(name=name))]
    body = tree.body
    doc = ast.get_docstring(tree)
    if doc is not None and body:
        cells.append(new_markdown_cell(_markdown_title(doc)))
        body = body[1:]
    block: list[str] = []
    start = body[0].lineno if body else len(lines) + 1
    for node, following in zip(body, [*body[1:], None], strict=True):
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        end = (following.lineno if following else len(lines) + 1) - 1
        text = "\n".join(lines[first - 1: end]).strip("\n")
        if isinstance(node, (ast.Import, ast.ImportFrom)) or first < start:
            block.append(text)
            continue
        if block:
            cells.append(new_code_cell("\n".join(block)))
            block = []
        cells.append(new_code_cell(text))
    if block:
        cells.append(new_code_cell("\n".join(block)))
    for number, cell in enumerate(cells):
        cell["id"] = f"{name}-{number}"
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    return nbformat.writes(nb) + "\n"


def _markdown_title(doc: str) -> str:
    head, _, rest = doc.partition("\n")
    return f"# {head.strip()}\n{rest}".rstrip()
