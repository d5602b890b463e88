#!/usr/bin/env python3
"""Verify a release of this data package from its own files alone (Python standard library only).

    python verify.py            # in the unzipped release folder
    python verify.py PATH       # or name the folder

Checks that every table has the bytes and SHA-256 that datapackage.json records, that every seed
(the archived article) has the SHA-256 that data/sources.csv records, and that every claim's
quote stands verbatim in its seed at the character offsets data/claims.csv gives. Prints what it
checked, or each failure with the file or claim it concerns, and exits with status 1 on failure.
"""

import csv
import hashlib
import json
import sys
from pathlib import Path


def rows(root: Path, relative: str) -> list[dict]:
    with open(root / relative, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def inside(root: Path, relative: str) -> Path | None:
    """The package file a recorded path names, or None when the path leaves the package."""
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def verify(root: Path) -> tuple[list[str], dict[str, int]]:
    failures, counts = [], {"tables": 0, "seeds": 0, "quotes": 0}
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        path = inside(root, resource["path"])
        if path is None or not path.is_file():
            failures.append(f"{resource['path']}: missing")
            continue
        data = path.read_bytes()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if len(data) != resource["bytes"] or digest != resource["hash"]:
            failures.append(f"{resource['path']}: expected {resource['bytes']} bytes with {resource['hash']}, "
                            f"found {len(data)} bytes with {digest}")
        counts["tables"] += 1
    texts = {}
    for source in rows(root, "data/sources.csv"):
        path = inside(root, source["seed_file"])
        if path is None or not path.is_file():
            failures.append(f"source {source['source_id']}: seed {source['seed_file']} missing")
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != source["seed_sha256"]:
            failures.append(f"source {source['source_id']}: {source['seed_file']} has sha256 "
                            f"{hashlib.sha256(raw).hexdigest()}, expected {source['seed_sha256']}")
        texts[source["source_id"]] = raw.decode("utf-8", errors="replace")
        counts["seeds"] += 1
    for claim in rows(root, "data/claims.csv"):
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
    except (OSError, ValueError, KeyError) as error:
        print(f"verify: cannot read the package in {root}: {error}", file=sys.stderr)
        return 1
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if failures:
        print(f"verify: {len(failures)} failures", file=sys.stderr)
        return 1
    print(f"verified: {counts['tables']} tables, {counts['seeds']} seeds and {counts['quotes']} quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
