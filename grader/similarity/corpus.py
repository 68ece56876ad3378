"""The code to compare: each student's file of each exercise, fingerprinted, and each exercise's stub.

Students and their files are found as ``grade-all`` finds them
(:func:`grader.bulk.roster.roster`, :func:`grader.submission.load.load_submission`):
folders, zips, LMS exports, ``.py`` files and notebooks (their code cells, as one
text). Nothing here runs student code.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.bulk.roster import roster
from grader.course import Course, Exercise
from grader.similarity.fingerprint import Fingerprints, fingerprints
from grader.similarity.normalise import normalise
from grader.submission.load import decode_source, load_submission
from grader.submission.notebook import read_notebook


@dataclass(frozen=True)
class Author:
    """A student: of this class, or archived from an earlier term (compared with this class only)."""

    id: str
    archived: bool = False


@dataclass(frozen=True)
class Document:
    """One student's code for one exercise, and its fingerprints."""

    author: Author
    exercise: str
    file: str  # as the student named it
    text: str  # for a notebook: its code cells
    fingerprints: Fingerprints


def read_class(course: Course, source: Path, archived: bool = False) -> tuple[list[Document], list[str]]:
    """Every readable exercise file of every student of ``source``, and notes on what was left out."""
    documents: list[Document] = []
    with tempfile.TemporaryDirectory(prefix="dlgrade-similarity-") as tmp:
        entries, notes = roster(source, Path(tmp))
        for entry in entries:
            author = Author(entry.id, archived)
            submission = load_submission(entry.path, course.names, entry.id, course.defines)
            for exercise, file in submission.files.items():
                if file.text is None:
                    notes.append(f"{entry.id}: {file.problem or file.name + ' could not be read'}")
                    continue
                documents.append(Document(author, exercise, file.name, file.text,
                                          fingerprints(normalise(file.text))))
    return documents, notes


def stub_fingerprints(exercise: Exercise) -> set[int]:
    """The fingerprints of the code every student starts from: the exercise's stub, as a file and a notebook."""
    found: set[int] = set()
    for path in (exercise.directory / f"{exercise.name}.py", exercise.directory / f"{exercise.name}.ipynb"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".py":
            text, _ = decode_source(data, path.name)
        else:
            notebook, _ = read_notebook(data, path.name)
            text = notebook.python() if notebook else None
        if text is not None:
            found.update(fingerprints(normalise(text)))
    return found
