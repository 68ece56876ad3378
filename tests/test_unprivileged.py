"""Without root: a user namespace gives the same namespaces and covered paths, and hostile code stays contained.

The test (as root) runs dlgrade as an ordinary uid that has no entry in
/etc/passwd (``setpriv``: nothing to create or remove on the machine), in a
mount namespace of its own where folders that user could not pass through on
the way to the interpreter or the checkout (a pyenv Python under /root) are
covered by a passable tmpfs with those paths bound back.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.hostile]

HOSTILE = ["no_network_even_loopback", "cannot_read_hidden_checks", "cannot_read_grader_environment",
           "cannot_signal_the_grader", "forked_sleepers_are_limited_and_reaped", "setsid_daemon_does_not_survive",
           "endless_loop_times_out"]


def _free_uid() -> int:
    for uid in range(64123, 64200):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    raise RuntimeError("no free uid")


def _why_not() -> str | None:
    """Why this test cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "Linux only"
    if os.geteuid() != 0:
        return "needs root to act as another user (run it as root, or run dlgrade as yourself)"
    for tool in ("unshare", "setpriv", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not all(os.stat(p).st_mode & 0o005 == 0o005 for p in [ROOT, ROOT / "tests", ROOT / ".venv"] if p.exists()):
        return "the checkout is not readable by other users"
    probe = subprocess.run(["setpriv", f"--reuid={_free_uid()}", f"--regid={_free_uid()}", "--clear-groups",
                            "unshare", "--user", "--mount", "--pid", "--fork", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return "the kernel does not allow unprivileged user namespaces: " + probe.stderr.decode().strip()
    return None


def _closed_ancestor(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that others may not pass through."""
    for ancestor in reversed(path.parents):
        if not ancestor.stat().st_mode & 0o001:
            return ancestor
    return None


def _as_user(command: list[str], stage: Path, home: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the checkout as an unprivileged uid that can reach the interpreter and the checkout."""
    q = shlex.quote
    script = ["set -e"]
    covers: dict[Path, list[tuple[Path, Path]]] = {}
    for i, path in enumerate([Path(sys.base_prefix).resolve(), ROOT]):
        closed = _closed_ancestor(path)
        if closed is not None:
            staged = stage / str(i)
            staged.mkdir()
            script.append(f"mount --bind {q(str(path))} {q(str(staged))}")
            covers.setdefault(closed, []).append((path, staged))
    for closed, binds in covers.items():
        script.append(f"mount -t tmpfs -o mode=0711 tmpfs {q(str(closed))}")
        for path, staged in binds:
            script += [f"mkdir -p {q(str(path))}", f"mount --bind {q(str(staged))} {q(str(path))}"]
    uid = _free_uid()
    script.append(f"cd {q(str(ROOT))}")
    script.append(shlex.join(["exec", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "env", "-i",
                              f"HOME={home}", "PATH=/usr/bin:/bin", "COLUMNS=400", *command]))
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def user_dirs():
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as stage, tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o777)
        yield Path(stage), Path(home)


NO_CAPABILITIES = """
_caps = [line.split() for line in open("/proc/self/status") if line.startswith("Cap")]
assert len(_caps) == 5 and all(int(value, 16) == 0 for _, value in _caps), _caps
"""


def test_ordinary_user_gets_namespaces_and_hidden_paths(user_dirs):
    """The layers line as an ordinary user; its runner holds no capability (the zygote's user namespace gave it all)."""
    stage, home = user_dirs
    submission = home / "pad_collate.py"
    submission.write_text((ROOT / "solutions" / "pad_collate.py").read_text() + NO_CAPABILITIES)
    proc = _as_user([str(Path(sys.executable).with_name("dlgrade")), "check", str(submission)],
                    stage, home, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = " ".join(proc.stdout.split())
    assert "✓ namespaces (user (own uid mapped), mount, PID, network, IPC, UTS)" in line, line
    assert "✓ filesystem (private" in line and "grader/hidden" in line, line
    assert "✓ seccomp" in line and "✓ landlock" in line, line
    assert "pad_collate │ 2/2" in line, line


def test_hostile_submissions_are_contained_without_root(user_dirs):
    """No network, no hidden checks or environment, no signals out, leftover processes killed, an endless loop cut off:
    as an ordinary user, whose runners share its uid (the zygote's, too: only namespaces and dropped capabilities
    stand between them)."""
    stage, home = user_dirs
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hostile.py",
               "-k", " or ".join(HOSTILE)]
    proc = _as_user(command, stage, home, timeout=600)
    assert proc.returncode == 0 and f"{len(HOSTILE)} passed" in proc.stdout, proc.stdout[-4000:] + proc.stderr[-2000:]
