"""The GitHub Classroom starter workflow that ``dlgrade release`` puts in the student bundle.

It follows the workflow GitHub Classroom generates (workflow ``Autograding
Tests``, one job ``run-autograding-tests``, skipped for the classroom bot):
install the bundle, run ``dlgrade ci`` as the runner step ``dlgrade``, and
hand its ``result`` output to ``autograding-grading-reporter``, which reads
it from ``DLGRADE_RESULTS`` (the step id in capitals + ``_RESULTS``).
"""

from __future__ import annotations

PATH = ".github/workflows/classroom.yml"
RUNNER_ID = "dlgrade"
JUNIT_FILE = "dlgrade-junit.xml"

WORKFLOW = f"""\
# GitHub Classroom autograding with dlgrade (written by `dlgrade release`).
# Classroom records the reporter's "Points X/Y": X is dlgrade's score, Y the points graded here.
name: Autograding Tests
'on':
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: pyproject.toml
      - name: Install dlgrade
        run: python -m pip install --extra-index-url https://download.pytorch.org/whl/cpu .
      - name: Grade with dlgrade
        id: {RUNNER_ID}
        run: dlgrade ci . --junit {JUNIT_FILE}
      - name: Keep the JUnit report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: dlgrade-junit
          path: {JUNIT_FILE}
          if-no-files-found: ignore
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          {RUNNER_ID.upper()}_RESULTS: "${{{{ steps.{RUNNER_ID}.outputs.result }}}}"
        with:
          runners: {RUNNER_ID}
"""
