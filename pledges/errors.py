"""Problems in the inputs, reported so that a maintainer can fix them without reading code.

Every check in the build records a Problem naming the file (and line where known), the claim,
fact or source it concerns, what was expected and what was found. The build collects them and
stops with all of them at once, before anything in data/ is touched.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # file path relative to the package root, with ":line" when known
    item: str  # "claim c03", "fact msft-fr-investment", "seed", ...
    problem: str
    expected: str = ""
    found: str = ""
    hint: str = ""

    def __str__(self) -> str:
        head = f"{self.where}: {self.item}: {self.problem}" if self.item else f"{self.where}: {self.problem}"
        lines = [head]
        if self.expected:
            lines.append(f"    expected: {self.expected}")
        if self.found:
            lines.append(f"    found:    {self.found}")
        if self.hint:
            lines.append(f"    hint:     {self.hint}")
        return "\n".join(lines)


class Refused(Exception):
    """A file the package will not read or write (pledges.files raises its subclass Unsafe)."""


class InputError(Exception):
    """One problem in an input file, its message naming the file (and line or key where known):
    a command stops with it (status 1)."""


class BuildFailed(Exception):
    """Raised with every problem found in one stage of the build."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self):  # raised in a worker process, it reaches the parent whole
        return (type(self), (self.problems,))

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(str(p) for p in self.problems)
        return f"{body}\nbuild stopped: {count} {noun}; data/ and datapackage.json were left unchanged"


def nearest(word: str, choices) -> str:
    """A hint naming the valid choice closest to a misspelt `word`, or "" when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else ""


def visible(text: str) -> str:
    """`text` as it may be printed on a terminal: every control character (tab and newline too),
    format character (bidirectional overrides, zero-width spaces) and line or paragraph separator
    written as its escape ("\\x1b", "\\u202e"), so that no text from an input can move the cursor,
    recolour or clear the screen, or reorder what the terminal shows."""
    import unicodedata

    if text.isprintable():
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                   else c for c in text)


DEBUG = "PLEDGES_DEBUG"  # set to 1 to see the traceback behind any failure


def command(name: str):
    """Wrap a command's main(): every failure ends in the package's own message, never a
    traceback (unless PLEDGES_DEBUG=1), with status 1 for bad input and 2 for a fault of the
    environment (disk full, read-only, a missing file or tool) or of the package itself."""
    import errno
    import functools
    import os
    import sys
    import traceback

    def wrap(main):
        @functools.wraps(main)
        def guarded(*args, **kwargs):
            try:
                return main(*args, **kwargs)
            except BuildFailed as failure:
                print(failure.report().replace("build stopped", f"{name} stopped"), file=sys.stderr)
                return 1
            except InputError as error:
                print(f"{name} stopped: {error}", file=sys.stderr)
                return 1
            except Refused as refused:  # pledges.files.Unsafe: a link, special file or path out of the package
                print(f"{refused}\n{name} stopped: refused to read or write it; nothing outside the package was "
                      "read or written", file=sys.stderr)
                return 1
            except KeyboardInterrupt:
                print(f"{name} interrupted", file=sys.stderr)
                return 130
            except OSError as error:
                if os.environ.get(DEBUG):
                    traceback.print_exc()
                kind = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
                        errno.EACCES: "permission denied", errno.ENOENT: "no such file"}.get(error.errno or 0, "")
                where = f" ({error.filename})" if error.filename else ""
                print(f"{name} stopped: {kind or error.strerror or error}{where}; nothing half-written was "
                      f"left in place", file=sys.stderr)
                return 2
            except Exception as error:
                if os.environ.get(DEBUG):
                    traceback.print_exc()
                print(f"{name} stopped by an internal error: {type(error).__name__}: {error}\n"
                      f"    hint:     run again with {DEBUG}=1 to see where, and report it", file=sys.stderr)
                return 2
        return guarded
    return wrap
