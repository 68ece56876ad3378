"""Checking from a notebook: a thin client in the kernel, the grader in a check server beside it.

The kernel side (:mod:`~grader.notebook_check.client`, :mod:`~.magic`, :mod:`~.locate`, :mod:`~.unsaved`)
uses only the standard library and IPython's display; :mod:`~.server` holds the warm sandbox and the judge.
"""
