"""Similar code across a class: evidence for an instructor to look at, never a verdict, never a grade change.

A maintained library was considered first: ``copydetect`` (0.5.0, March 2024) lexes with pygments and hashes
characters with Python's salted ``hash()`` (fingerprints, and so borderline scores, differ between runs), reads
files from folders (no notebooks), compares every pair of files in a Python loop and has no notion of code the
whole class shares. dlgrade already reads every submission, notebooks included, and knows every stub, so a small
implementation on :mod:`tokenize` and :mod:`ast` does what it lacks in about 300 lines:

- :mod:`~grader.similarity.normalise`: tokens with names, layout, comments and docstrings normalised away, cut
  into top-level units so order and cell boundaries do not matter;
- :mod:`~grader.similarity.fingerprint`: k-gram hashes, winnowed, deterministic;
- :mod:`~grader.similarity.corpus`: the class's files (found as ``grade-all`` finds them) and the stubs;
- :mod:`~grader.similarity.compare`: stub and common fingerprints left out, pairs through an inverted index;
- :mod:`~grader.similarity.clusters`: groups of three or more;
- :mod:`~grader.similarity.find`: all of it for a class; :mod:`~grader.similarity.records`: the JSON list.

The pages are :mod:`grader.report.similarity_html`.
"""
