"""Exit codes a runner ends with on purpose, so that the judge can say what happened."""

SETUP_FAILED = 70  # the runner could not be isolated, or not given its exercise: no student code ran
CONNECTION_LOST = 71  # the runner could not send an answer: student code closed or replaced its socket
