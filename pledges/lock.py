"""One build, release or validation at a time in a checkout: an advisory lock (flock) on
.cache/lock, released when the process ends however it ends. A second run says who holds it."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from pledges.errors import BuildFailed, Problem


@contextmanager
def exclusive(root: Path, what: str):
    folder = root / ".cache"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildFailed([Problem(".cache/lock", "", f"cannot {what}: {holder} is running in this checkout",
                                       "one build, release or validation at a time", "the lock held",
                                       "wait for it to finish, then run the command again")]) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what} (process {os.getpid()})\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
