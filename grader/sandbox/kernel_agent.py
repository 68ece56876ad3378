"""The kernel side of the ``--kernel`` engine: imported into the student's kernel before any of its cells.

The runner executes ``handle(payload)`` in the kernel for each request; the
answer goes back as display data of type :data:`MIME` (a base64 frame). The
responder and the forbidden-API tripwire are set up before the notebook's
first cell, so the functions they hold are the originals.
"""

from __future__ import annotations

import base64
import types
from collections.abc import Sequence
from typing import Any

from IPython import get_ipython
from IPython.display import publish_display_data

from grader import wire
from grader.sandbox.responder import Responder
from grader.sandbox.tripwire import Tripwire

MIME = "application/x-dlgrade-frame"
_HIDDEN = {"In", "Out", "get_ipython", "exit", "quit", "open"}
_state: dict[str, Any] = {}


def install(module_name: str, forbidden: Sequence[str] = ()) -> None:
    """Bind the responder to the kernel's user namespace, seen as module ``module_name``; wire ``forbidden``."""
    shell = get_ipython()

    def module() -> types.ModuleType:
        view = types.ModuleType(module_name)
        view.__dict__.update({k: v for k, v in shell.user_ns.items() if k not in _HIDDEN})
        return view

    _state["responder"] = Responder(module, [f"{module_name}.py"], Tripwire(forbidden) if forbidden else None)
    _state.update(publish=publish_display_data, b64encode=base64.b64encode, b64decode=base64.b64decode)


def handle(payload: str) -> None:
    """Answer one request (a base64 frame) with a display-data message."""
    doc, blobs = wire.unpack_frame(_state["b64decode"](payload))
    answer, answer_blobs = _state["responder"].respond(doc, blobs)
    _state["responder"].report(answer)
    frame = wire.pack_frame(answer, answer_blobs)
    _state["publish"]({MIME: _state["b64encode"](frame).decode("ascii")})
