"""Errors that stop the grader itself; each carries its process exit code.

Problems with a *submission* are never exceptions at this level: they become
results (a status and a message). These are for when grading cannot run.
"""

from __future__ import annotations


class GraderError(Exception):
    """The grader could not run. ``exit_code`` is what the process exits with."""

    exit_code = 1


class UsageError(GraderError):
    """Bad command-line arguments or a path that does not exist."""

    exit_code = 2


class CourseError(GraderError):
    """The course manifest or a file it names is missing or malformed."""

    exit_code = 3


class SandboxError(GraderError):
    """The sandbox could not be started on this machine."""

    exit_code = 4


class StaleArtifacts(GraderError):
    """Generated files (stubs) differ from what their sources produce."""

    exit_code = 1


class CourseInvalid(GraderError):
    """``dlgrade validate`` found exercises that need attention."""

    exit_code = 1


class ScoreBelowThreshold(GraderError):
    """``dlgrade ci --fail-under``: grading completed, but the score is below the threshold."""

    exit_code = 1


class DiskFull(GraderError):
    """The disk filled up while dlgrade was writing; what was committed before is kept."""

    exit_code = 5


class StudentsNotGraded(GraderError):
    """``grade-all`` finished, but a judge process died and some students have no result yet."""

    exit_code = 6


class LmsError(GraderError):
    """Canvas refused a request or could not be reached; students already updated stay so (run again to retry)."""

    exit_code = 7


class ClusterError(GraderError):
    """``grade-all --scheduler``: the Dask cluster could not be reached, or a worker refused the run."""

    exit_code = 8


class Interrupted(GraderError):
    """Stopped by Ctrl-C (SIGINT); what was committed before is kept."""

    exit_code = 130
