"""Every HTML page dlgrade writes: student text escaped, its control characters shown, and no script allowed.

One jinja environment with autoescape on for every template (whatever its
name), so a student id or message is always text. Each page carries a
Content-Security-Policy ``<meta>`` before anything else in its head: nothing
loads or runs but the page's own ``<style>`` (allowed by its sha256) and
``data:`` images (the inlined plots), so even markup that slipped through
could not run script, load a remote resource or submit a form.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from grader.report.control_chars import show_controls
from grader.report.student_files import student_stem


def content_security_policy(style: str) -> str:
    """The policy of a page whose only inline content is the ``<style>`` element holding ``style``."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; img-src data:; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def _finalize(value: Any) -> Any:
    """What a template prints: student text with its control characters shown (autoescape follows)."""
    return show_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value


_ENV = Environment(loader=PackageLoader("grader.report", "templates"), autoescape=True, finalize=_finalize,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_ENV.globals["content_security_policy"] = content_security_policy
_ENV.filters["student_stem"] = student_stem


def render_page(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` to HTML text."""
    return _ENV.get_template(template).render(**context)
