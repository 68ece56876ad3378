"""Groups of three or more students who share code: the connected components of an exercise's flagged pairs."""

from __future__ import annotations

from collections.abc import Iterable

from grader.similarity.corpus import Author

MIN_CLUSTER = 3


def clusters(edges: Iterable[tuple[Author, Author]]) -> list[tuple[Author, ...]]:
    """Components of at least :data:`MIN_CLUSTER` authors, each sorted, largest first."""
    parent: dict[Author, Author] = {}

    def root(node: Author) -> Author:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        parent[root(a)] = root(b)
    groups: dict[Author, list[Author]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    found = [tuple(sorted(group, key=_order)) for group in groups.values() if len(group) >= MIN_CLUSTER]
    return sorted(found, key=lambda group: (-len(group), [_order(a) for a in group]))


def _order(author: Author) -> tuple[bool, str]:
    return author.archived, author.id
