"""Platform plumbing: the Classroom starter workflow, GitHub Actions' step files, the Gradescope autograder zip.

The result documents themselves are output formats in :mod:`grader.report`.
"""
