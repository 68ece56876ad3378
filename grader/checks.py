"""What a check file imports.

A check is a pytest test that takes the ``student`` fixture (a
:class:`grader.judge.student.Student`) and carries ``@pytest.mark.points(n)``.
It asks the runner for values and asserts on them here, in the judge::

    @probe
    def batches(mod, seqs):            # runs in the sandbox; returns plain data
        loader = mod.make_loader(seqs, batch_size=2)
        return [b[0] for b in loader]

    @pytest.mark.points(2)
    def test_pads_at_the_end(student):
        padded, lengths, labels = student.call("pad_collate", batch)
        assert torch.equal(padded, expected), "pad at the end of each sequence, not the front"

The assertion message is the student's feedback, so write it for them and
never put expected values in it. Probe source is sent to the sandbox (the
student may read it); assertions, inputs chosen in the judge and expected
values stay here.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

from grader.judge.outcomes import MissingName, NotImplementedYet, StudentError, Unsendable

__all__ = ["MissingName", "NotImplementedYet", "StudentError", "Unsendable", "expect_raises", "probe"]

F = TypeVar("F", bound=Callable[..., Any])


def probe(fn: F) -> F:
    """Mark ``fn(module, *args)`` as a probe: its source (without decorators) runs in the runner.

    A probe must be self-contained: ``torch`` and ``np`` are its only globals.
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef), "a probe must be a plain function"
    func.decorator_list = []
    fn.__dlgrade_probe__ = ast.unparse(func)  # type: ignore[attr-defined]
    return fn


def expect_raises(exc_name: str, fn: Callable[[], Any], message: str) -> StudentError:
    """Assert that ``fn()`` makes the student's code raise ``exc_name`` (or a subclass)."""
    try:
        fn()
    except NotImplementedYet:
        raise
    except StudentError as err:
        assert err.is_a(exc_name), f"{message} (your code raised {err.type_name} instead)"
        return err
    raise AssertionError(f"{message} (your code raised nothing)")
