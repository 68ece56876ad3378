"""The judge's view of one exercise's runner: start it, ask it, restart it after a failure.

:class:`ExerciseRun` owns the runner's life and the exercise's time budget;
:class:`Student` is what a check sees (the ``student`` fixture).
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from typing import Any, NoReturn

from grader import wire
from grader.judge.outcomes import (
    CheckTimeout,
    LoadFailed,
    MissingName,
    NotImplementedYet,
    RunnerCrash,
    StudentError,
    Unsendable,
)
from grader.judge.reported_errors import describe_error, reported_frames, reported_mro
from grader.sandbox.exit_codes import CONNECTION_LOST
from grader.sandbox.slot import Runner, RunnerDied, RunnerExit, RunnerTimeout, Slot
from grader.sandbox.spec import RunnerSpec

STOP_GRACE = 0.5
OUTPUT_KEEP = 8 * 1024
MAX_NAMES = 10_000  # names compared for a "did you mean"
NOT_AN_ANSWER = "do not write to or close file descriptors your code did not open"


class ExerciseRun:
    """One exercise of one submission: its runner(s), deadline and captured output."""

    def __init__(self, slot: Slot, spec: RunnerSpec, time_limit: float) -> None:
        self.slot, self.spec = slot, spec  # every runner of the exercise starts from the same spec
        self.forbidden_called: set[tuple[str, ...]] = set()  # what the runner's tripwire caught, as it says
        self.cell_records: list[dict[str, Any]] = []
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit
        self._printed = ""
        self._dropped = 0
        self._unshown = 0  # characters printed while hidden checks ran: they would reveal hidden inputs
        self._runner: Runner | None = None
        self._load_error: LoadFailed | None = None

    def remaining(self) -> float:
        """Seconds left for this exercise."""
        return self.deadline - time.monotonic()

    def runner(self) -> Runner:
        """The live runner, forked (and the module imported) if needed."""
        if self._load_error is not None:
            raise self._load_error
        if self._runner is None:
            runner = self.slot.start(self.spec)
            try:
                doc, _ = runner.request(None, [], self.remaining())
            except RunnerTimeout:
                self._fail_load(runner, "timeout", f"importing your module took longer than {self.time_limit:g} s")
            except RunnerDied as died:
                if isinstance(died.__cause__, wire.WireError):
                    self._fail_load(runner, "crashed", "importing your module sent the grader something that is not "
                                                       f"an answer ({died.__cause__}); {NOT_AN_ANSWER}")
                runner.close()
                ended = self.slot.stop(STOP_GRACE)
                self._load_error = LoadFailed("crashed", f"importing your module failed: {describe_exit(ended)}")
                raise self._load_error from None
            if not isinstance(doc, dict):
                self._fail_load(runner, "crashed", f"importing your module sent the grader something that is not "
                                                   f"an answer; {NOT_AN_ANSWER}")
            self._note_forbidden(doc)
            if self.spec.cells is None:  # a notebook's own output is in the notebook; it would repeat per exercise
                self._record(doc)
            if not self.cell_records and isinstance(doc.get("cells"), list):
                self.cell_records = [r for r in doc["cells"][:200] if isinstance(r, dict)]
            if "load_error" in doc:
                err = doc["load_error"]
                self._fail_load(runner, "crashed", "importing your module raised " + describe_error(err))
            self._runner = runner
        return self._runner

    def _fail_load(self, runner: Runner, status: str, message: str) -> NoReturn:
        runner.close()
        self.slot.stop(0)
        self._load_error = LoadFailed(status, message)
        raise self._load_error

    def _note_forbidden(self, doc: dict[str, Any]) -> None:
        """Keep the forbidden APIs an answer says student code called (the plugin keeps only the manifest's)."""
        groups = doc.get("forbidden")
        if isinstance(groups, list):
            self.forbidden_called.update(tuple(str(name) for name in group[:8]) for group in groups[:32]
                                         if isinstance(group, list))

    def _record(self, doc: Any, hidden: bool = False) -> None:
        text = doc.get("output") if isinstance(doc, dict) else None
        if isinstance(text, str) and text and hidden:
            self._unshown += len(text)
        elif isinstance(text, str) and text:
            room = max(OUTPUT_KEEP - len(self._printed), 0)
            self._printed += text[:room]
            self._dropped += max(len(text) - room, 0)

    def printed(self) -> str:
        """What the student's code printed (capped, with a note when cut)."""
        text = self._printed
        if self._dropped:
            text += f"\n[... {self._dropped} more characters of output not shown]"
        if self._unshown:
            text += f"\n[{self._unshown} characters printed during hidden checks are not shown]"
        return text

    def ask(self, request: dict[str, Any], deadline: float, check_limit: float = 0.0, hidden: bool = False) -> Any:
        """Send one request; return the decoded ``ok`` value or raise what happened.

        Output printed while a hidden check runs is counted, not kept: it could show the hidden inputs.
        """
        runner = self.runner()
        doc, blobs = wire.encode_trusted(request)
        timeout = min(deadline, self.deadline) - time.monotonic()
        try:
            answer, answer_blobs = runner.request(doc, blobs, timeout)
        except RunnerTimeout:
            self.stop(grace=0)
            limit = (f"the exercise's time limit ({self.time_limit:g} s for all its checks)"
                     if self.deadline <= deadline else f"the check's time limit ({check_limit:g} s)")
            what = f"`{request['name']}`" if request.get("op") == "call" else "the check's use of your code"
            raise CheckTimeout(f"your code did not finish within {limit} while running {what}: "
                               "look for an endless loop, or work that grows too fast with the input") from None
        except RunnerDied as died:
            if isinstance(died.__cause__, wire.TooLarge):  # the rest of the frame is unread: this runner is done
                self.stop()
                raise Unsendable(f"your code returned a value that cannot be checked ({died.__cause__})") from None
            if isinstance(died.__cause__, wire.WireError):
                self.stop()
                raise Unsendable(f"your code sent the grader something that is not an answer ({died.__cause__}); "
                                 f"{NOT_AN_ANSWER}") from None
            raise RunnerCrash(describe_exit(self.stop(grace=STOP_GRACE))) from None
        if not isinstance(answer, dict):
            self.stop()
            raise Unsendable(f"your code sent the grader something that is not an answer; {NOT_AN_ANSWER}")
        self._note_forbidden(answer)
        self._record(answer, hidden)
        if "ok" in answer:
            try:
                return wire.decode(answer["ok"], answer_blobs)
            except wire.WireError as exc:
                raise Unsendable(f"your code returned a value that cannot be checked ({exc})") from None
        if "raised" in answer:
            err = answer["raised"] if isinstance(answer["raised"], dict) else {}
            mro = reported_mro(err)
            cls = NotImplementedYet if "NotImplementedError" in mro else StudentError
            raise cls(mro, str(err.get("message", ""))[:2000], reported_frames(err.get("traceback")))
        if "missing" in answer:
            names = self.ask({"op": "names"}, deadline, check_limit, hidden) if request.get("op") != "names" else []
            missing = str(answer["missing"])[:100]
            candidates = [str(n)[:100] for n in names[:MAX_NAMES]] if isinstance(names, list) else []
            close = difflib.get_close_matches(missing, candidates, 1, 0.6)
            raise MissingName(missing, close[0] if close else None)
        if "unsendable" in answer:
            raise Unsendable(f"your code returned a value that cannot be checked ({str(answer['unsendable'])[:200]})")
        raise Unsendable("the runner sent an answer the judge does not understand")

    def stop(self, grace: float = 0.0) -> RunnerExit:
        """End the current runner and everything it started (``grace``: how long to wait for its own exit)."""
        if self._runner is None:
            return RunnerExit("none")
        self._runner.close()
        self._runner = None
        return self.slot.stop(grace)


class Student:
    """The ``student`` fixture: the submission's module, seen through its runner."""

    def __init__(self, run: ExerciseRun, check_time_limit: float, hidden: bool = False) -> None:
        self._run, self._limit, self._hidden = run, check_time_limit, hidden
        self._deadline = time.monotonic() + check_time_limit

    def _ask(self, request: dict[str, Any]) -> Any:
        return self._run.ask(request, self._deadline, self._limit, self._hidden)

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the module's top-level ``name`` with plain-data arguments."""
        return self._ask({"op": "call", "name": name, "args": list(args), "kwargs": kwargs})

    def probe(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a ``@probe`` function in the sandbox with the module as its first argument."""
        source = getattr(fn, "__dlgrade_probe__", None)
        if source is None:
            raise TypeError(f"{fn.__name__} is not decorated with @probe")
        return self._ask({"op": "probe", "source": source, "func": fn.__name__, "args": list(args), "kwargs": kwargs})

    def names(self) -> list[str]:
        """The module's public top-level names."""
        names = self._ask({"op": "names"})
        if not isinstance(names, list):
            raise Unsendable(f"your code sent the grader something that is not an answer; {NOT_AN_ANSWER}")
        return [str(n)[:100] for n in names[:MAX_NAMES]]


def describe_exit(ended: RunnerExit) -> str:
    """How the runner ended, in a student's terms (the runner's own exit codes included)."""
    if ended.kind == "exit" and ended.code == CONNECTION_LOST:
        return ("no answer could come back: your code closed or replaced the runner's connection to the grader; "
                + NOT_AN_ANSWER)
    return ended.describe()
