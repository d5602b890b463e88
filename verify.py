#!/usr/bin/env python3
"""Verify a release of this data package from its own files alone (Python standard library only).

    python verify.py            # in the unzipped release folder
    python verify.py PATH       # or name the folder

Checks that every file the release lists in MANIFEST.sha256 (the tables, their Table Schemas,
datapackage.json, the archived articles, the README, the licence, the citation, this script) is
there with that SHA-256, and names any file it does not list; that every table has the bytes and
SHA-256 that datapackage.json records; that every archived article has the SHA-256 that
data/sources.csv records; and that every claim's quote stands verbatim in its article at the
character offsets data/claims.csv gives. Files are opened without following links: a link
anywhere in the release is a failure, never followed. Prints what it checked, or each failure
with the file or claim it concerns, and exits with status 1 on failure.
"""

import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path

MANIFEST = "MANIFEST.sha256"
MAX_FIELD = 131072  # the csv module's default limit, kept whatever the process has set it to


class Refused(Exception):
    pass


class Damaged(Exception):
    """A file of the release that is not what a release holds: "<file>: <what is wrong>"."""


def read(root: Path, relative: str) -> bytes:
    """A plain file of the release, reached folder by folder without following a link."""
    parts = relative.split("/")
    if relative.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\0" in relative:
        raise Refused(f"{relative}: not a path inside the release")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            try:
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Refused(f"{relative}: {part} is a link or not a folder") from None
                raise
            os.close(fd)
            fd = child
        try:
            handle = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise Refused(f"{relative}: a symbolic link") from None
            raise
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise Refused(f"{relative}: not a plain file")
            chunks = []
            while chunk := os.read(handle, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(handle)
    finally:
        os.close(fd)


def text(root: Path, relative: str) -> str:
    try:
        return read(root, relative).decode("utf-8")
    except UnicodeDecodeError as error:
        raise Damaged(f"{relative}: not UTF-8 text (byte {error.start})") from None


def rows(root: Path, relative: str, columns: tuple[str, ...]) -> list[dict]:
    """The rows of a table of the release, each with every one of its header's columns; `columns`
    must be among them."""
    reader = csv.reader(io.StringIO(text(root, relative), newline=""))
    try:
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise Damaged(f"{relative}: no column {', '.join(missing)} in its header")
        found = []
        for row in reader:
            if len(row) != len(header):
                raise Damaged(f"{relative}: line {reader.line_num}: {len(row)} fields, its header has {len(header)}")
            if any(len(cell) > MAX_FIELD for cell in row):
                raise Damaged(f"{relative}: line {reader.line_num}: a field longer than {MAX_FIELD} characters")
            found.append(dict(zip(header, row)))
        return found
    except csv.Error as error:
        raise Damaged(f"{relative}: line {reader.line_num}: not CSV as the release writes it ({error})") from None


def resources(root: Path) -> list[dict]:
    """datapackage.json's resources, each with the path, bytes and hash of its table."""
    try:
        package = json.loads(text(root, "datapackage.json"))
    except RecursionError:
        raise Damaged("datapackage.json: not JSON (nested too deeply)") from None
    except ValueError as error:
        raise Damaged(f"datapackage.json: not JSON ({error})") from None
    found = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(found, list):
        raise Damaged("datapackage.json: no list of resources")
    for number, resource in enumerate(found, start=1):
        if not (isinstance(resource, dict) and isinstance(resource.get("path"), str)
                and type(resource.get("bytes")) is int and isinstance(resource.get("hash"), str)):
            raise Damaged(f"datapackage.json: resource {number} is not an object with a path, bytes and hash")
    return found


OFFSET = re.compile(r"[0-9]{1,12}")


def listed(root: Path) -> tuple[dict[str, str], list[str]]:
    """The files MANIFEST.sha256 lists with their SHA-256, and the files of the release it does not."""
    expected = {}
    for line in text(root, MANIFEST).splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
    present = []
    for folder, folders, names in os.walk(root):
        for name in names + [f for f in folders if os.path.islink(os.path.join(folder, f))]:
            present.append(Path(folder, name).relative_to(root).as_posix())
    unlisted = sorted(p for p in present if p not in expected and p != MANIFEST and "__pycache__" not in p)
    return expected, unlisted


def verify(root: Path) -> tuple[list[str], dict[str, int]]:
    failures, counts = [], {"files": 0, "tables": 0, "seeds": 0, "quotes": 0}
    expected, unlisted = listed(root)
    failures += [f"{name}: not a file of the release (MANIFEST.sha256 does not list it)" for name in unlisted]
    for name, digest in sorted(expected.items()):
        try:
            found = hashlib.sha256(read(root, name)).hexdigest()
        except (OSError, Refused) as error:
            failures.append(f"{name}: missing or unreadable ({error})")
            continue
        if found != digest:
            failures.append(f"{name}: changed (sha256 {found}, the release has {digest})")
        counts["files"] += 1
    for resource in resources(root):
        try:
            data = read(root, resource["path"])
        except (OSError, Refused) as error:
            failures.append(f"{resource['path']}: missing or unreadable ({error})")
            continue
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if len(data) != resource["bytes"] or digest != resource["hash"]:
            failures.append(f"{resource['path']}: expected {resource['bytes']} bytes with {resource['hash']}, "
                            f"found {len(data)} bytes with {digest}")
        counts["tables"] += 1
    texts = {}
    try:
        sources = rows(root, "data/sources.csv", ("source_id", "seed_file", "seed_sha256"))
        claims = rows(root, "data/claims.csv", ("claim_id", "source_id", "quote", "quote_start", "quote_end"))
    except (OSError, Refused) as error:
        return failures + [f"the sources and claims tables cannot be read ({error})"], counts
    for source in sources:
        try:
            raw = read(root, source["seed_file"])
        except (OSError, Refused) as error:
            failures.append(f"source {source['source_id']}: seed {source['seed_file']} missing or unreadable ({error})")
            continue
        if hashlib.sha256(raw).hexdigest() != source["seed_sha256"]:
            failures.append(f"source {source['source_id']}: {source['seed_file']} has sha256 "
                            f"{hashlib.sha256(raw).hexdigest()}, expected {source['seed_sha256']}")
        texts[source["source_id"]] = raw.decode("utf-8", errors="replace")
        counts["seeds"] += 1
    for claim in claims:
        seed = texts.get(claim["source_id"])
        if not (OFFSET.fullmatch(claim["quote_start"]) and OFFSET.fullmatch(claim["quote_end"])):
            failures.append(f"claim {claim['claim_id']}: quote_start {claim['quote_start'][:20]!r} and quote_end "
                            f"{claim['quote_end'][:20]!r} are not character offsets")
            continue
        start, end = int(claim["quote_start"]), int(claim["quote_end"])
        if seed is None or seed[start:end] != claim["quote"]:
            found = "no seed" if seed is None else repr(seed[start:end])
            failures.append(f"claim {claim['claim_id']}: quote {claim['quote']!r} not at [{start}:{end}] of its "
                            f"seed, which has {found} there")
        counts["quotes"] += 1
    return failures, counts


def shown(message: str) -> str:
    """A message as the terminal gets it: names and cells come from the release, whoever made it,
    so control and format characters (an escape sequence, a right-to-left override) are written
    as \\u escapes, never sent to the terminal (pledges.errors.visible's rule, written again here
    because verify.py runs without the package)."""
    return "".join(c if c == "\n" or unicodedata.category(c)[0] != "C" else f"\\u{ord(c):04x}" for c in message)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    try:
        failures, counts = verify(root)
    except (Damaged, Refused) as error:
        print(f"verify: {shown(str(error))}", file=sys.stderr)
        return 1
    except OSError as error:
        print(shown(f"verify: cannot read the package in {root}: {error}"), file=sys.stderr)
        return 1
    for failure in failures:
        print(f"FAILED {shown(failure)}", file=sys.stderr)
    if failures:
        print(f"verify: {len(failures)} failures", file=sys.stderr)
        return 1
    print(f"verified: {counts['files']} files, {counts['tables']} tables, {counts['seeds']} seeds and "
          f"{counts['quotes']} quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
