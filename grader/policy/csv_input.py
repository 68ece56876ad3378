"""Reading an instructor's CSV file (extensions, submission times): every way it can fail is one clear error."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from grader.exceptions import UsageError

T = TypeVar("T")


def read_csv(path: Path, what: str, read: Callable[[TextIO], T]) -> T:
    """``read`` the open file (UTF-8, a byte-order mark allowed); a missing, unreadable, non-UTF-8 or malformed
    file is a ``UsageError`` naming ``what`` ("extensions file") and the path."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return read(f)
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not UTF-8 text") from None
    except csv.Error as exc:
        raise UsageError(f"{what} {path} is not valid CSV: {exc}") from None
