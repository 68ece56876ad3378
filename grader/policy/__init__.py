"""Course policies: due dates, the late policy, extensions and submission times.

``dates`` parses due dates and zones, ``late`` holds the policy and its arithmetic, ``extensions`` the
per-student extensions file, ``times`` reads when each student submitted, and ``apply`` puts them on a result.
This package imports none of them, so :mod:`grader.course` can use ``dates`` and ``late`` without a cycle.
"""
