"""One build, release or validation at a time in a checkout: an advisory lock (flock) on
.cache/lock, released when the process ends however it ends. A second run says who holds it."""

from __future__ import annotations

import fcntl
import os
import stat
from contextlib import contextmanager
from pathlib import Path

from pledges import files
from pledges.errors import BuildFailed, Problem


@contextmanager
def exclusive(root: Path, what: str):
    files.make_folder(root, ".cache")
    with files.folder(root, ".cache") as fd:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            descriptor = os.open("lock", flags, 0o644, dir_fd=fd)
        except OSError as error:
            raise files.Unsafe(".cache/lock", f"cannot be opened as the lock file ({error.strerror})") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise files.Unsafe(".cache/lock", "not a plain file")
    with open(descriptor, "a+", encoding="utf-8") as handle:
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
