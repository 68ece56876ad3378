"""Student code as normalised tokens in top-level units, so that a disguise does not hide a copy.

What a copier changes without changing what the code does is normalised away:

- comments, docstrings (any statement that is only a string), blank lines, line breaks,
  indentation, ``;`` and trailing commas are dropped;
- the names the file binds itself (functions, classes, parameters, variables, the attributes
  it assigns, its methods) become ``N``, so renaming them changes nothing; the names it only
  uses (``torch``, ``len``, ``.shape``, ``collate_fn=``) stay, since renaming them would change
  what the code does; a name imported under an alias becomes the name imported;
- string literals become ``S`` (numbers and operators stay);
- each top-level function or class (with its decorators) is one unit, and each run of other
  top-level statements another. Fingerprints never span two units, so reordering functions or
  cutting the code into different notebook cells changes nothing.

Every token keeps its line in the original text, to show where matches are. A file that
:mod:`ast` cannot parse is still tokenized, with every name but keywords and builtins ``N``
and the whole file one unit; one that :mod:`tokenize` cannot read either is split into words
and punctuation, line by line. Nothing a student writes stops the comparison.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import re
import tokenize
import warnings
from dataclasses import dataclass

NAME = "N"
STRING = "S"
_BUILTINS = frozenset(dir(builtins))
_DROPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                      tokenize.ENCODING, tokenize.ENDMARKER, getattr(tokenize, "TYPE_COMMENT", -1),
                      getattr(tokenize, "FSTRING_MIDDLE", -1), getattr(tokenize, "FSTRING_END", -1)})
_STRINGS = frozenset({tokenize.STRING, getattr(tokenize, "FSTRING_START", -1)})
_CLOSING = frozenset({")", "]", "}"})
_WORDS = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\"[^\"]*\"|'[^']*'|\S")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Unit:
    """One top-level definition (or run of other statements): its normalised tokens and the line of each."""

    tokens: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class _Shape:
    """What :mod:`ast` says about a file: the names it binds, its aliases, docstring lines, unit of each line."""

    bound: frozenset[str]
    aliases: dict[str, str]
    docstring_lines: frozenset[int]
    unit_starts: tuple[int, ...]  # the first line of each unit, ascending


def normalise(text: str) -> list[Unit]:
    """``text`` (Python source) as normalised units; never raises for what a student wrote."""
    shape = _shape(text)
    try:
        tokens = _tokens(text, shape)
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return [_words(text)]
    return _cut(tokens, shape.unit_starts if shape else (1,))


def _shape(text: str) -> _Shape | None:
    try:
        with warnings.catch_warnings():  # invalid escape sequences and the like are the student's business
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    bound: set[str] = set()
    aliases: dict[str, str] = {}
    docstrings: set[int] = set()
    try:
        for node in ast.walk(tree):
            _collect(node, bound, aliases, docstrings)
    except RecursionError:
        return None
    starts: list[int] = []
    loose = False  # the previous top-level statement was not a definition: a run continues
    for node in tree.body:
        definition = isinstance(node, _DEFINITIONS)
        if definition or not loose:
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            starts.append(first)
        loose = not definition
    return _Shape(frozenset(bound), {k: v for k, v in aliases.items() if k not in bound}, frozenset(docstrings),
                  tuple(starts) or (1,))


def _collect(node: ast.AST, bound: set[str], aliases: dict[str, str], docstrings: set[int]) -> None:
    """Add what one node binds, imports under a name, or holds as a lone string."""
    if isinstance(node, _DEFINITIONS):
        bound.add(node.name)
    elif isinstance(node, ast.arg):
        bound.add(node.arg)
    elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        bound.add(node.id)
    elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
        bound.add(node.attr)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        bound.update(node.names)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        bound.add(node.name)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        bound.add(node.name)
    elif isinstance(node, ast.MatchMapping) and node.rest:
        bound.add(node.rest)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            if alias.asname:
                aliases[alias.asname] = alias.name.rpartition(".")[2]
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        docstrings.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))


def _tokens(text: str, shape: _Shape | None) -> list[tuple[str, int]]:
    """Normalised tokens with their lines; ``shape`` None: every non-builtin name is ``N``."""
    out: list[tuple[str, int]] = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        kind, value, line = tok.type, tok.string, tok.start[0]
        if kind in _DROPPED:
            continue
        if kind in _STRINGS:
            if shape is None or line not in shape.docstring_lines:
                out.append((STRING, line))
        elif kind == tokenize.NAME:
            out.append((_name(value, shape), line))
        elif kind == tokenize.ERRORTOKEN and value.isspace():
            continue
        elif value == ";":
            continue
        elif value in _CLOSING and out and out[-1][0] == ",":
            out[-1] = (value, line)
        else:
            out.append((value, line))
    return out


def _name(value: str, shape: _Shape | None) -> str:
    if keyword.iskeyword(value):
        return value
    if shape is None:
        return value if value in _BUILTINS else NAME
    if value in shape.bound:
        return NAME
    return shape.aliases.get(value, value)


def _cut(tokens: list[tuple[str, int]], starts: tuple[int, ...]) -> list[Unit]:
    """Split the token stream where each unit starts (a token belongs to the last unit starting on or before it)."""
    units: list[Unit] = []
    index = 0
    current: list[tuple[str, int]] = []
    for token in tokens:
        while index + 1 < len(starts) and token[1] >= starts[index + 1]:
            index += 1
            if current:
                units.append(_unit(current))
                current = []
        current.append(token)
    if current:
        units.append(_unit(current))
    return units


def _unit(tokens: list[tuple[str, int]]) -> Unit:
    return Unit(tuple(t for t, _ in tokens), tuple(line for _, line in tokens))


def _words(text: str) -> Unit:
    """The last resort for text that does not tokenize: words and punctuation, comment lines left out."""
    tokens: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for word in _WORDS.findall(line):
            if word[0] in "\"'":
                tokens.append((STRING, number))
            elif word[0].isalpha() or word[0] == "_":
                tokens.append((word if keyword.iskeyword(word) or word in _BUILTINS else NAME, number))
            else:
                tokens.append((word, number))
    return _unit(tokens)
