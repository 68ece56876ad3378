"""A class (and optionally earlier terms) in, per exercise the flagged pairs and clusters out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Course
from grader.similarity.clusters import clusters
from grader.similarity.compare import Pair, Settings, compare
from grader.similarity.corpus import Author, Document, read_class, stub_fingerprints


@dataclass(frozen=True)
class ExerciseSimilarity:
    """One exercise: how many documents were compared, its flagged pairs (most similar first), its clusters."""

    name: str
    title: str
    documents: int
    pairs: tuple[Pair, ...]
    clusters: tuple[tuple[Author, ...], ...]


@dataclass(frozen=True)
class Similarity:
    """Every exercise of a class compared, with what was left out and how."""

    exercises: tuple[ExerciseSimilarity, ...]
    students: int
    archived: int  # students of earlier terms compared with this class
    settings: Settings = field(default_factory=Settings)
    notes: tuple[str, ...] = ()

    @property
    def flagged(self) -> int:
        """Pairs flagged over all exercises."""
        return sum(len(ex.pairs) for ex in self.exercises)


def find_similar(course: Course, source: Path, against: Sequence[Path] = (),
                 settings: Settings | None = None) -> Similarity:
    """Compare every exercise of the class in ``source`` (and with the archived classes in ``against``)."""
    settings = settings or Settings()
    documents, notes = read_class(course, source)
    students = len({doc.author for doc in documents})
    archived: list[Document] = []
    for folder in against:
        found, more = read_class(course, folder, archived=True)
        archived += found
        notes += [f"{folder.name}: {note}" for note in more]
    exercises = []
    for exercise in course.exercises:
        docs = [doc for doc in [*documents, *archived] if doc.exercise == exercise.name]
        pairs = compare(docs, stub_fingerprints(exercise), settings)
        groups = clusters((pair.a.author, pair.b.author) for pair in pairs)
        exercises.append(ExerciseSimilarity(exercise.name, exercise.title, len(docs), tuple(pairs), tuple(groups)))
    return Similarity(tuple(exercises), students, len({doc.author for doc in archived}), settings, tuple(notes))
