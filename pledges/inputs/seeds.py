"""Seeds: the archived articles, confined to seeds/ and checked against their annotation.

A seed is named NNN_<16 hex>.txt and is a plain file in seeds/; the build never opens, hashes or
prints a file outside that folder, whatever an annotation names.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pledges import files
from pledges.errors import Problem
from pledges.inputs.records import Source

SEEDS_DIR = "seeds"

SEED_NAME = re.compile(r"[0-9]{3,}_[0-9a-f]{16}\.txt")
# The five seeds collected before seed names were derived from their sha256: their ids are
# published, so they keep their names; every later seed is named NNN_<first 16 hex of its sha256>.
NAMED_BEFORE_THE_HASH_RULE = frozenset({"000_a740679b1ad3bc90.txt", "001_b24a656a585fab8f.txt",
                                        "002_52083d7952b85408.txt", "003_25e5ca3ece719531.txt",
                                        "004_c4c635be39286977.txt"})


def seed_file(seed: str) -> str | None:
    """The path of the seed an annotation names, relative to the package (seeds/<name>), or None
    when the name is not a plain NNN_<16 hex>.txt file name (no folder, no "..", no absolute path)."""
    return f"{SEEDS_DIR}/{seed}" if SEED_NAME.fullmatch(seed) else None


def read_seed(root: Path, seed: str, rel: str, expected_sha256: str, problems: list[Problem]) -> str | None:
    """The seed's text, or None with a Problem when it is missing, not a plain file in seeds/
    (a link, a FIFO: pledges.files refuses them), altered or not clean UTF-8."""
    where = seed_file(seed)
    if where is None:
        problems.append(Problem(rel, "seed",
                                f"seed {seed!r} is not a seed file name (NNN_<16 hex digits>.txt, in seeds/)",
                                "NNN_<16 hex digits>.txt, a file in seeds/", repr(seed),
                                "name the seed file as in seeds/README.md, without any directory"))
        return None
    try:
        raw = files.read_bytes(root, where)
    except FileNotFoundError:
        problems.append(Problem(rel, "seed", f"seed file {where} does not exist",
                                "a file in seeds/ named as in the annotation's `seed:`", "no such file"))
        return None
    except files.Unsafe as refused:
        problems.append(Problem(rel, "seed", f"seed {seed!r} refused: {refused.why}",
                                "a plain file in seeds/", refused.path,
                                "seeds are plain files in seeds/; remove the link or special file"))
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        problems.append(Problem(where, "seed", "seed differs from the one annotated",
                                f"sha256 {expected_sha256} (recorded in {rel})", f"sha256 {digest}",
                                "seeds are evidence and are never edited; restore the original file"))
        return None
    if seed not in NAMED_BEFORE_THE_HASH_RULE and seed.split("_", 1)[1][:16] != digest[:16]:
        number = seed.split("_", 1)[0]
        problems.append(Problem(where, "seed", "seed name does not match its sha256",
                                f"{number}_{digest[:16]}.txt (the first 16 hex digits of its sha256)", seed,
                                f"rename the file to {number}_{digest[:16]}.txt and its annotation to match"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(where, "seed", "seed starts with a byte-order mark",
                                "UTF-8 without BOM", "BOM (EF BB BF)",
                                "save the article without BOM before annotating; "
                                "offsets count from its first character"))
        return None
    if b"\r" in raw:
        carriage_returns = raw.count(b"\r")
        problems.append(Problem(where, "seed", "seed has CR line endings",
                                "\\n line endings", f"{carriage_returns} CR characters",
                                "convert to \\n before annotating; the build never rewrites seeds, as that would shift "
                                "offsets"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(where, "seed", "seed is not valid UTF-8", "UTF-8 text",
                                f"byte {raw[error.start]:#04x} at byte offset {error.start}"))
        return None


def unannotated(root: Path, sources: list[Source]) -> list[str]:
    """What the build says of each seed that no annotation names yet: it is left out, and how to
    draft one. A file name is whatever a commit chose (escape sequences, newlines), so only a seed
    name (NNN_<16 hex>.txt) is printed as it is; any other is shown with repr() as not a seed name.
    seeds/ holds plain files only: a link or special file in it is refused (files.Unsafe)."""
    annotated = {s.seed for s in sources}
    notes = []
    for name in files.listing(root, SEEDS_DIR):
        if not name.endswith(".txt") or name in annotated:
            continue
        if SEED_NAME.fullmatch(name):
            notes.append(f"{SEEDS_DIR}/{name} has no annotation yet and is left out; draft one with: "
                         f"make suggest SEED={SEEDS_DIR}/{name}")
        else:
            notes.append(f"{SEEDS_DIR}/ holds {name!r}, which is not a seed name (NNN_<16 hex digits>.txt), and "
                         "it is left out; rename it as seeds/README.md says")
    return notes
