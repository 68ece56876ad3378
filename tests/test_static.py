"""What the judge learns from source without running it (grader/submission/static.py)."""

from __future__ import annotations

import ast
import warnings

import pytest

from grader.submission.static import ForbiddenUse, forbidden_uses, syntax_problem

DIST = ("torch.utils.data.DistributedSampler", "torch.utils.data.distributed.DistributedSampler")
SAMPLER, DIST_SAMPLER = DIST
ONE_HOT = ("torch.nn.functional.one_hot",)


def caret_target(message: str) -> str:
    """The character the caret points at, in the line shown with the message."""
    lines = message.split("\n")
    code, pointer = lines[-2], lines[-1]
    assert pointer.strip() == "^", message
    return code[pointer.index("^")]


# ------------------------------------------------------------------ syntax errors


def test_valid_source_has_no_problem() -> None:
    assert syntax_problem("import torch\n\ndef f(x):\n    return x + 1\n", "pad_collate.py") is None


def test_missing_colon_names_file_line_and_points_at_it() -> None:
    source = "import torch\n\n\ndef pad_collate(batch)\n    return batch\n"
    message = syntax_problem(source, "pad_collate.py")
    assert message is not None
    assert message.split("\n") == [
        "pad_collate.py, line 4: expected ':'",
        "    def pad_collate(batch)",
        "                          ^",
    ]


def test_unclosed_parenthesis() -> None:
    message = syntax_problem("x = 1\ny = max(1,\n", "m.py")
    assert message is not None
    assert message.startswith("m.py, line 2: '(' was never closed\n")
    assert caret_target(message) == "("


def test_caret_under_the_right_character_after_indentation_and_unicode() -> None:
    source = "def f():\n    s = 'ünïcödé 🐍' + = 3\n"
    message = syntax_problem(source, "m.py")
    assert message is not None
    assert message.startswith("m.py, line 2: invalid syntax\n")
    assert "\n    s = 'ünïcödé 🐍' + = 3\n" in message  # the student's line, indentation removed
    assert caret_target(message) == "="


def test_tabs_are_expanded_so_the_caret_lines_up() -> None:
    message = syntax_problem("x = [1,\t2 3]\n", "m.py")
    assert message is not None
    assert "\t" not in message
    assert caret_target(message) in "23"


def test_indentation_error() -> None:
    message = syntax_problem("x = 1\n        y = 2\n", "m.py")
    assert message is not None
    assert message.startswith("m.py, line 2: unexpected indent\n    y = 2\n")


def test_long_line_is_shown_as_a_window_around_the_caret() -> None:
    source = "x = " + "a + " * 200 + "= 3 + " + "b + " * 200 + "1\n"
    message = syntax_problem(source, "m.py")
    assert message is not None
    code = message.split("\n")[1]
    assert len(code) < 120
    assert code.strip().startswith("...") and code.endswith("...")
    with pytest.raises(SyntaxError) as info:
        ast.parse(source)
    assert info.value.offset is not None
    assert caret_target(message) == source[info.value.offset - 1]


def test_null_byte_names_the_line() -> None:
    message = syntax_problem("x = 1\ny = 2\0\n", "m.py")
    assert message is not None
    assert message.startswith("m.py, line 2: the file contains a null byte")


@pytest.mark.parametrize("source", [
    "x = " + "(" * 300 + "1" + ")" * 300 + "\n",
    "x = " + "-" * 100_000 + "1\n",
    "x = a" + ".b" * 100_000 + "\n",
    "x = " + "+".join(["1"] * 100_000) + "\n",
    "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n",
], ids=["parens", "unary", "attributes", "binop", "blocks"])
def test_deeply_nested_source_is_a_message_not_a_crash(source: str) -> None:
    message = syntax_problem(source, "m.py")
    assert message is not None
    assert message.startswith("m.py")
    assert "nested" in message or "too many" in message
    assert forbidden_uses(source, DIST) == []


def test_warnings_are_not_syntax_errors_even_when_warnings_are_errors() -> None:
    source = "import re\nPATTERN = re.compile('\\d+\\s')\nassert (1, 'x')\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        assert syntax_problem(source, "m.py") is None
        assert forbidden_uses(source + "import torch\ntorch.utils.data.DistributedSampler\n", DIST) == [
            ForbiddenUse(SAMPLER, 5)]
    assert caught == []


def test_real_syntax_error_still_reported_when_warnings_are_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        message = syntax_problem("s = '\\d'\nx = = 1\n", "m.py")
    assert message is not None and message.startswith("m.py, line 2: invalid syntax")


# ------------------------------------------------------------------ forbidden APIs: found


@pytest.mark.parametrize("source,expected", [
    ("import torch\nsampler = torch.utils.data.DistributedSampler(ds)\n", [(SAMPLER, 2)]),
    ("import torch.utils.data as tud\n\n\ns = tud.DistributedSampler(ds, num_replicas=2)\n", [(SAMPLER, 4)]),
    ("import torch.utils.data.distributed as tdd\ntdd.DistributedSampler\n", [(DIST_SAMPLER, 2)]),
    ("import torch as T\nT.utils.data.distributed.DistributedSampler\n", [(DIST_SAMPLER, 2)]),
    ("from torch.utils.data import DistributedSampler as DS\n\nDS(ds)\n", [(SAMPLER, 1), (SAMPLER, 3)]),
    ("from torch.utils.data.distributed import DistributedSampler\n", [(DIST_SAMPLER, 1)]),
    ("from torch.utils.data import *\n\nDistributedSampler(ds)\n", [(SAMPLER, 3)]),
    ("from torch.utils import data\ndata.DistributedSampler(ds)\n", [(SAMPLER, 2)]),
    ("from torch.utils import data as d\nd.distributed.DistributedSampler(ds)\n", [(DIST_SAMPLER, 2)]),
    ("import torch\ns = getattr(torch.utils.data, 'DistributedSampler')\n", [(SAMPLER, 2)]),
    ("import torch\ns = getattr(getattr(torch.utils, 'data'), 'DistributedSampler')(ds)\n", [(SAMPLER, 2)]),
    ("import importlib\nm = importlib.import_module('torch.utils.data.distributed')\n", []),
    ("import importlib\nimportlib.import_module('torch.utils.data').DistributedSampler(ds)\n", [(SAMPLER, 2)]),
    ("import importlib\nm = importlib.import_module('torch.utils.data')\nm.DistributedSampler(ds)\n",
     [(SAMPLER, 3)]),
    ("from importlib import import_module as im\nim('torch.utils.data.distributed').DistributedSampler\n",
     [(DIST_SAMPLER, 2)]),
    ("import importlib\nimportlib.import_module('torch.utils.data.DistributedSampler')\n", [(SAMPLER, 2)]),
    ("__import__('torch.utils.data').utils.data.DistributedSampler\n", [(SAMPLER, 1)]),
    ("__import__('torch.utils.data', fromlist=['x']).DistributedSampler\n", [(SAMPLER, 1)]),
    ("import torch\nd = torch.utils.data\nd.DistributedSampler(ds)\n", [(SAMPLER, 3)]),
    ("import torch\nu = torch.utils\nd = u.data\nS = d.DistributedSampler\nS(ds)\n", [(SAMPLER, 4), (SAMPLER, 5)]),
    ("import torch\nvars(torch.utils.data)['DistributedSampler'](ds)\n", [(SAMPLER, 2)]),
    ("import torch\ntorch.utils.data.__dict__['DistributedSampler'](ds)\n", [(SAMPLER, 2)]),
    ("import torch\ntorch.utils.data.DistributedSampler.set_epoch(s, 1)\n", [(SAMPLER, 2)]),
    ("import torch\n\nclass P:\n    def f(self):\n        return torch.utils.data.DistributedSampler\n",
     [(SAMPLER, 5)]),
    ("import torch\na = torch.utils.data.DistributedSampler\nb = torch.utils.data.distributed.DistributedSampler\n",
     [(SAMPLER, 2), (DIST_SAMPLER, 3)]),
], ids=lambda v: None)
def test_forbidden_use_found(source: str, expected: list[tuple[str, int]]) -> None:
    assert forbidden_uses(source, DIST) == [ForbiddenUse(api, line) for api, line in expected]


def test_one_hot_through_the_usual_alias() -> None:
    source = "import torch\nimport torch.nn.functional as F\n\nx = F.relu(t)\ny = F.one_hot(t, 3)\n"
    assert forbidden_uses(source, ONE_HOT) == [ForbiddenUse("torch.nn.functional.one_hot", 5)]
    assert forbidden_uses("from torch.nn.functional import one_hot\n", ONE_HOT) == [
        ForbiddenUse("torch.nn.functional.one_hot", 1)]


# ------------------------------------------------------------------ forbidden APIs: no false positives


@pytest.mark.parametrize("source", [
    "import torch\nDistributedSampler = None\nx = DistributedSampler\n",
    "from torch.utils.data import Sampler\n\nclass DistributedSampler(Sampler):\n    pass\n\nDistributedSampler(ds)\n",
    "from torch.utils.data import *\n\nclass DistributedSampler:\n    pass\n\ns = DistributedSampler()\n",
    "import torch\nloader = torch.utils.data.DataLoader(ds)\nsampler = torch.utils.data.Sampler\n",
    "import torch.utils.data\nimport torch.utils.data.distributed\n",
    "from torch.utils.data import distributed\nd = distributed.get_rank\n",
    "import torch\n# torch.utils.data.DistributedSampler is forbidden here\n",
    "import torch\nDOC = 'use torch.utils.data.DistributedSampler? no'\n",
    "import torch\n'''\ntorch.utils.data.DistributedSampler(ds)\n'''\n",
    "from mylib import DistributedSampler\nDistributedSampler(ds)\n",
    "from .data import DistributedSampler\nDistributedSampler(ds)\n",
    "import torch\nself.DistributedSampler\nobj.utils.data.DistributedSampler\n",
    "import torch\nname = 'DistributedSampler'\ngetattr(torch.utils.data, name)\n",
    "import torch.utils.data as data\n\ndef f(x):\n    return x.DistributedSampler\n",
    "import torch\ntorch.utils.data.DistributedSamplerV2\n",
    "def partition_indices(n, num_replicas, rank, DistributedSampler=None):\n    return DistributedSampler\n",
], ids=["local", "own_class", "star_shadowed", "other_attrs", "module_imports", "module_other_attr",
        "comment", "string", "docstring", "other_package", "relative", "other_object", "computed_getattr",
        "unrelated_name", "longer_leaf", "parameter"])
def test_no_false_positive(source: str) -> None:
    assert forbidden_uses(source, DIST) == []


def test_no_apis_or_unparsable_source() -> None:
    assert forbidden_uses("import torch\ntorch.utils.data.DistributedSampler\n", ()) == []
    assert forbidden_uses("import torch\ntorch.utils.data.DistributedSampler(\n", DIST) == []
    assert forbidden_uses("x = 1\0", DIST) == []


def test_results_sorted_and_deduplicated() -> None:
    source = ("import torch\n"
              "x = torch.utils.data.DistributedSampler(torch.utils.data.DistributedSampler)\n"
              "from torch.utils.data import DistributedSampler\n")
    assert forbidden_uses(source, DIST) == [ForbiddenUse(SAMPLER, 2), ForbiddenUse(SAMPLER, 3)]
