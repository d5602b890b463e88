"""The one safe file layer every command reads and writes the package through.

A commit can plant anything git stores in the tree: a symbolic link where a file or folder is
expected (to a file outside the package, or to a FIFO that never answers), or a name in the
metadata that climbs out with "..". So the package's files are never opened by name alone:

- **Reading** walks the path from the package root one folder at a time, each opened with
  O_NOFOLLOW (a link anywhere on the path is refused), opens the file itself with O_NOFOLLOW and
  O_NONBLOCK (a FIFO cannot hang the command), and then checks the descriptor it opened (fstat),
  not the name a moment before: only a regular file is read, and only up to a size limit.
- **Writing** creates a new temporary file exclusively (O_CREAT | O_EXCL: never through an
  existing name, link or not) in the target's own folder, reached the same way, writes it, and
  renames it over the target: a reader sees the old file or the new one, never half of one, and a
  link in the target's place is replaced, never followed.
- **Listing** a folder refuses links and special files in it, naming them.
- **Swapping** several entries into place together (data/ with datapackage.json, the two reports)
  goes through a staging folder with a READY mark, so that an interruption at any point is
  finished or undone by the next command (`Swap.recover`).

Paths are given relative to the package root, as strings with "/" ("data/claims.csv"); a part
that is empty, "." or ".." is refused. Refusals raise Unsafe, which names the path and why; the
commands report it as a problem in the input (status 1), never as a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pledges.errors import Refused, visible

MAX_BYTES = 64 * 1024 * 1024  # no input of the package is larger; a bigger file is refused, not read
BUILT_BYTES = 4 * 1024 * 1024 * 1024  # a file a command makes (a release's zip, database, workbook) read back
# Every table the package reads came through this layer, so a cell may be as long as a file may
# be: a pledge stated by 8,000 sources lists them all in one cell, longer than csv's default limit.
csv.field_size_limit(MAX_BYTES)
READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Unsafe(Refused):
    """A path the package will not read or write, with the reason."""

    def __init__(self, path: str, why: str):
        super().__init__(f"{visible(path)}: {why}")  # a name is whatever a commit chose: shown escaped
        self.path, self.why = path, why

    def __reduce__(self):  # raised in a worker process, it reaches the parent whole
        return (type(self), (self.path, self.why))


def parts_of(relative: str | Path) -> list[str]:
    text = relative.as_posix() if isinstance(relative, Path) else relative
    parts = text.split("/")
    if text.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\0" in text:
        raise Unsafe(text, "not a plain path inside the package (no leading /, no empty, . or .. parts)")
    return parts


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


@contextmanager
def folder(root: Path, relative: str | Path = "", create: bool = False) -> Iterator[int]:
    """A descriptor of the folder `relative` under `root`, reached without following any link;
    with `create`, missing folders are made (as folders, never through a link)."""
    parts = parts_of(relative) if str(relative) not in ("", ".") else []
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    done: list[str] = []
    try:
        for part in parts:
            try:
                child = os.open(part, FOLDER, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
                child = os.open(part, FOLDER, dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    found = _kind(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
                    raise Unsafe("/".join([*done, part]), f"{found}, where a folder is expected") from None
                raise
            os.close(fd)
            fd = child
            done.append(part)
        yield fd
    finally:
        os.close(fd)


def _split(relative: str | Path) -> tuple[str, str]:
    parts = parts_of(relative)
    return "/".join(parts[:-1]), parts[-1]


@contextmanager
def opened(root: Path, relative: str | Path, limit: int = MAX_BYTES) -> Iterator[tuple[int, os.stat_result]]:
    """The regular file `relative` under `root`, opened, with what fstat says of the opened file;
    raises Unsafe for a link, a folder, a FIFO or any special file on the way or at the end, and
    for a file over `limit` bytes."""
    parent, name = _split(relative)
    with folder(root, parent) as fd:
        try:
            handle = os.open(name, READ, dir_fd=fd)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise Unsafe(str(relative), "a symbolic link; the package reads only plain files") from None
            raise
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise Unsafe(str(relative), f"{_kind(info.st_mode)}; the package reads only plain files")
            if info.st_size > limit:
                raise Unsafe(str(relative), f"{info.st_size} bytes, more than the {limit} this file may have")
            yield handle, info
        finally:
            os.close(handle)


def read_all(handle: int) -> bytes:
    chunks = []
    while chunk := os.read(handle, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_bytes(root: Path, relative: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the plain file `relative` under `root` (see `opened`)."""
    with opened(root, relative, limit) as (handle, _):
        return read_all(handle)


def read_text(root: Path, relative: str | Path, limit: int = MAX_BYTES) -> str:
    data = read_bytes(root, relative, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise Unsafe(str(relative), f"line {line}: not UTF-8 text (byte {data[error.start]:#04x})") from None


def kind(root: Path, relative: str | Path) -> str | None:
    """What stands at `relative` (without following a link there), or None when nothing does;
    the folders above it must be folders."""
    parent, name = _split(relative)
    try:
        with folder(root, parent) as fd:
            return _kind(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return None


def is_file(root: Path, relative: str | Path) -> bool:
    return kind(root, relative) == "a regular file"


def listing(root: Path, relative: str | Path, allow_folders: bool = False) -> list[str]:
    """The names in folder `relative`, sorted; raises Unsafe naming the first link or special file
    (and folder, unless allowed), so that nothing in the folder is read through one."""
    with folder(root, relative) as fd:
        names = sorted(os.listdir(fd))
        for name in names:
            found = _kind(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
            if found != "a regular file" and not (allow_folders and found == "a folder"):
                raise Unsafe(f"{Path(relative).as_posix()}/{name}", f"{found}; only plain files may stand here")
        return names


def write_bytes(root: Path, relative: str | Path, data: bytes) -> None:
    """Write `data` to `relative` under `root` whole or not at all: a new temporary file, created
    exclusively beside the target, renamed over it (never written through an existing name)."""
    parent, name = _split(relative)
    with folder(root, parent, create=True) as fd:
        partial = f".{name}.{secrets.token_hex(6)}.partial"  # as PARTIAL reads it
        try:
            _create(fd, partial, data)
            os.replace(partial, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial, dir_fd=fd)
            raise


PARTIAL = re.compile(r"\..+\.[0-9a-f]{12}\.partial")  # write_bytes' temporary name for a file


def remove_partials(root: Path, relative: str) -> list[str]:
    """Remove the temporary files write_bytes left in the folder `relative` when its process was
    killed (".<name>.<hex>.partial"); their names. Call it holding the command's lock."""
    if kind(root, relative) != "a folder":
        return []
    left = [name for name in listing(root, relative, allow_folders=True)
            if PARTIAL.fullmatch(name) and is_file(root, f"{relative}/{name}")]
    for name in left:
        remove(root, f"{relative}/{name}")
    return left


def write_new_files(root: Path, items: dict[str, bytes]) -> None:
    """Write many new files under `root`, a folder the command made for itself and that nothing
    reads before it is swapped into place (a Swap's staging folder): each is created exclusively
    at its own name (never through a link, never over a file already there), each folder opened
    once, so that 40,000 pages cost one open each rather than a walk and a rename each."""
    by_folder: dict[str, list[tuple[str, bytes]]] = {}
    for relative, data in items.items():
        parent, name = _split(relative)
        by_folder.setdefault(parent, []).append((name, data))
    for parent, entries in by_folder.items():
        with folder(root, parent, create=True) as fd:
            for name, data in entries:
                _create(fd, name, data)


def _create(fd: int, name: str, data: bytes) -> None:
    """A new file `name` in the folder `fd`, created exclusively (never through a link, never over
    a file already there), holding `data`."""
    handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def write_text(root: Path, relative: str | Path, text: str) -> None:
    write_bytes(root, relative, text.encode("utf-8"))


def remove(root: Path, relative: str | Path) -> None:
    """Remove a file, a link (not what it points to) or a whole folder, never following a link."""
    parent, name = _split(relative)
    with folder(root, parent) as fd:
        try:
            mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISDIR(mode):
            shutil.rmtree(name, dir_fd=fd)  # fd-based: it never follows a link inside
        else:
            os.unlink(name, dir_fd=fd)


def make_folder(root: Path, relative: str | Path) -> None:
    with folder(root, relative, create=True):
        pass


def copy_file(root: Path, relative: str | Path, to_root: Path, to_relative: str | Path | None = None) -> None:
    """Copy a checked plain file of one package into another, both through this layer."""
    write_bytes(to_root, to_relative or relative, read_bytes(root, relative))


def copy_tree(root: Path, relative: str, to_root: Path, to_relative: str | None = None) -> None:
    """Copy the file or folder `relative` of one package into another, plain files and folders
    only: a link or special file anywhere in it is refused (Unsafe), never followed."""
    target = to_relative or relative
    if kind(root, relative) == "a folder":
        make_folder(to_root, target)
        for name in listing(root, relative, allow_folders=True):
            copy_tree(root, f"{relative}/{name}", to_root, f"{target}/{name}")
    else:
        copy_file(root, relative, to_root, target)


READY = "READY"


class Swap:
    """Put several entries of a package in place together: write them into a staging folder
    (`.<name>-<random>/` at the root), mark it READY, then rename each into place, the previous
    ones moved into the staging folder. If the renames are cut short, `recover` finishes the swap
    (all new entries are there) or undoes it (some are not), so that a reader finds one whole
    state, old or new."""

    def __init__(self, root: Path, name: str, entries: list[str]):
        self.root, self.entries = root, entries
        self.staging = f".{name}-{secrets.token_hex(6)}"
        self.prefix = f".{name}-"

    def write(self, relative: str, data: bytes) -> None:
        write_bytes(self.root, f"{self.staging}/new/{relative}", data)

    def commit(self) -> None:
        make_folder(self.root, f"{self.staging}/new")
        write_bytes(self.root, f"{self.staging}/{READY}", b"")
        with folder(self.root) as fd:
            try:
                for entry in self.entries:
                    if kind(self.root, entry) is not None:
                        self.rename(fd, entry, f"{self.staging}/old-{entry}")
                    self.rename(fd, f"{self.staging}/new/{entry}", entry)
            finally:
                self.recover(self.root, self.prefix, self.entries)

    @staticmethod
    def rename(fd: int, source: str, target: str) -> None:
        """One rename of a swap (the tests interrupt the swap here, at each one in turn)."""
        os.replace(source, target, src_dir_fd=fd, dst_dir_fd=fd)

    def abandon(self) -> None:
        remove(self.root, self.staging)

    @staticmethod
    def recover(root: Path, prefix: str, entries: list[str]) -> list[str]:
        """Finish or undo every swap of `entries` cut short under `root`, remove staging folders
        left by commands that died, and say what was done. A link or file named like a staging
        folder is refused, never followed."""
        done = []
        with folder(root) as fd:
            names = sorted(n for n in os.listdir(fd) if n.startswith(prefix))
        for name in names:
            found = kind(root, name)
            if found != "a folder":
                raise Unsafe(name, f"{found} named like a staging folder of the package; remove it")
            if is_file(root, f"{name}/{READY}"):
                pending = [e for e in entries if kind(root, f"{name}/new/{e}") is not None]
                with folder(root) as fd:
                    if pending and len(pending) < len(entries):  # some moved in already: finish
                        for entry in pending:
                            if kind(root, entry) is not None:
                                remove(root, f"{name}/old-{entry}")
                                os.replace(entry, f"{name}/old-{entry}", src_dir_fd=fd, dst_dir_fd=fd)
                            os.replace(f"{name}/new/{entry}", entry, src_dir_fd=fd, dst_dir_fd=fd)
                        done.append(f"completed an interrupted update of {' and '.join(entries)}")
                    elif pending:  # none moved in: put back what was moved out
                        for entry in entries:
                            if kind(root, entry) is None and kind(root, f"{name}/old-{entry}") is not None:
                                os.replace(f"{name}/old-{entry}", entry, src_dir_fd=fd, dst_dir_fd=fd)
                                done.append(f"put the previous {entry} back")
            remove(root, name)
        return done
