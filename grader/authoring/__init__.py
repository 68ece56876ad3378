"""Authoring a course: stubs from solutions, scaffolds, validation, the student bundle."""
