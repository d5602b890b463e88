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
import stat
import sys
from pathlib import Path

MANIFEST = "MANIFEST.sha256"


class Refused(Exception):
    pass


def read(root: Path, relative: str) -> bytes:
    """A plain file of the release, reached folder by folder without following a link."""
    parts = relative.split("/")
    if relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
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


def rows(root: Path, relative: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(root, relative).decode("utf-8"), newline="")))


def listed(root: Path) -> tuple[dict[str, str], list[str]]:
    """The files MANIFEST.sha256 lists with their SHA-256, and the files of the release it does not."""
    expected = {}
    for line in read(root, MANIFEST).decode("utf-8").splitlines():
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
    package = json.loads(read(root, "datapackage.json"))
    for resource in package["resources"]:
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
        sources, claims = rows(root, "data/sources.csv"), rows(root, "data/claims.csv")
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
        text = texts.get(claim["source_id"])
        start, end = int(claim["quote_start"]), int(claim["quote_end"])
        if text is None or text[start:end] != claim["quote"]:
            found = "no seed" if text is None else repr(text[start:end])
            failures.append(f"claim {claim['claim_id']}: quote {claim['quote']!r} not at [{start}:{end}] of its "
                            f"seed, which has {found} there")
        counts["quotes"] += 1
    return failures, counts


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    try:
        failures, counts = verify(root)
    except (OSError, ValueError, KeyError, Refused) as error:
        print(f"verify: cannot read the package in {root}: {error}", file=sys.stderr)
        return 1
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if failures:
        print(f"verify: {len(failures)} failures", file=sys.stderr)
        return 1
    print(f"verified: {counts['files']} files, {counts['tables']} tables, {counts['seeds']} seeds and "
          f"{counts['quotes']} quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
