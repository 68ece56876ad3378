"""``grade-all --scheduler``: grading on a Dask cluster instead of judges on this machine.

The instructor's process (:mod:`~grader.cluster.graders`) ships the course as a hashed bundle
(:mod:`~grader.cluster.bundle`) and each student as content-addressed bytes
(:mod:`~grader.cluster.submission_codec`); each worker (:mod:`~grader.cluster.worker`) keeps one warm
judge process (:mod:`~grader.cluster.judge`) with its own sandbox slot. Results come back as JSON
documents, and the instructor's process stays the only writer of the gradebook.
"""
