"""JUnit XML, valid against the Apache Ant JUnit schema (windyroad ``JUnit.xsd``) that CI dashboards read.

One ``<testsuite>`` per exercise and submission, one ``<testcase>`` per check;
a failed check is a ``<failure>``, a check that errored, timed out or crashed
an ``<error>``, each with the student's feedback as its message and text.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from grader.results import ExerciseResult, SubmissionResult

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_xml(results: list[SubmissionResult]) -> str:
    """The ``<testsuites>`` document as text."""
    root = ET.Element("testsuites")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")  # the schema's pattern: no time zone
    host = socket.gethostname() or "localhost"
    for result in results:
        for e in result.exercises:
            root.append(_suite(result, e, len(root), stamp, host))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(result: SubmissionResult, e: ExerciseResult, index: int, stamp: str, host: str) -> ET.Element:
    failures = sum(c.status == "failed" for c in e.checks)
    errors = sum(c.status in ("error", "timeout", "crashed") for c in e.checks) + (not e.checks)
    suite = ET.Element("testsuite", {
        "name": e.name, "package": _text(result.submission) or "submission", "id": str(index), "timestamp": stamp,
        "hostname": host, "tests": str(len(e.checks) or 1), "failures": str(failures), "errors": str(errors),
        "skipped": "0", "time": f"{e.duration:.3f}",
    })
    ET.SubElement(suite, "properties")
    for c in e.checks:
        case = ET.SubElement(suite, "testcase", {"name": c.name, "classname": e.name, "time": f"{c.duration:.3f}"})
        if c.status != "passed":
            message = _text(c.feedback or e.details or c.status)
            tag = "failure" if c.status == "failed" else "error"
            ET.SubElement(case, tag, {"message": message.split("\n", 1)[0], "type": c.status}).text = message
    if not e.checks:  # the grader failed on this exercise
        case = ET.SubElement(suite, "testcase", {"name": e.name, "classname": e.name, "time": f"{e.duration:.3f}"})
        message = _text(e.details or e.status)
        ET.SubElement(case, "error", {"message": message.split("\n", 1)[0], "type": e.status}).text = message
    ET.SubElement(suite, "system-out").text = _text(e.details)
    ET.SubElement(suite, "system-err")
    return suite


def _text(text: str) -> str:
    """Student output may hold characters XML 1.0 cannot carry (escape codes, NUL): replace them."""
    return _NOT_XML.sub("\ufffd", text)


def write_junit(results: list[SubmissionResult], path: Path) -> None:
    """Write the JUnit XML file (parent folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(results), encoding="utf-8")
