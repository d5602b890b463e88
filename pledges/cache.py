"""The build's cache: a source whose annotation and seed have not changed is not parsed and
checked again, and rows whose inputs have not changed are not rendered and checked again.

Each entry is keyed by the SHA-256 of everything its result depends on: the annotation's bytes,
its seed's bytes, the facts file (claims are checked against their facts), the region names, the
package's package.yaml and schemas/ (the tables' rules), and the code that reads them (every file
of pledges/, build.py, schemas/ and requirements.txt, and the Python version). A source's entry holds the loaded source and its
coverage; one entry holds the loaded facts. The rendered rows are kept by owner (a
source or a fact, pledges.tables) with the owner's stamp, in SHARDS files keyed by the code and
those shared inputs. Entries are stored only for what loaded, checked and was published
without a problem, so the cache can never make a build accept what a clean build would refuse.
It lives in .cache/build/, outside data/, one file per entry written through a temporary name, and
is safe to delete: a build without it is a clean build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import zlib
from functools import cache
from pathlib import Path

CODE = Path(__file__).resolve().parent.parent
FOLDER = Path(".cache") / "build"
SHARDS = 64  # the rendered rows are kept in this many files, so that a rebuild rewrites only a few


@cache
def code_fingerprint() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted([*CODE.glob("pledges/**/*.py"), *CODE.glob("pledges/templates/*"), CODE / "build.py",
                        *CODE.glob("schemas/*.json"), CODE / "requirements.txt"]):
        if path.is_file():
            digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class SourceCache:
    """One file per entry in .cache/build/, named by its key: a rebuild reads the entries it
    needs and writes only the new ones."""

    def __init__(self, root: Path, shared: bytes):
        """`shared`: the bytes of the inputs every entry depends on (facts, regions, tables' schemas)."""
        self.folder = root / FOLDER
        self.base = hashlib.sha256(code_fingerprint() + hashlib.sha256(shared).digest())
        self.used: dict[str, object] = {}
        self.new: dict[str, object] = {}
        self.source_keys: dict[str, str] = {}  # source id -> the key of its entry
        self.owners: set[str] = set()  # the owners whose rows this build asked for

    def key(self, annotation: Path, seed: Path) -> str:
        digest = self.base.copy()
        for path in (annotation, seed):
            digest.update(path.read_bytes() if path.is_file() else b"\0missing")
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str):
        if key in self.used:
            return self.used[key]
        try:
            with open(self.folder / f"{key}.pickle", "rb") as f:
                entry = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # not there, or from other code: read and check it again
        self.used[key] = entry
        if "source" in entry:
            self.source_keys[entry["source"].source_id] = key
        return entry

    def put(self, key: str, entry) -> None:
        self.used[key] = entry
        self.new[key] = entry
        if "source" in entry:
            self.source_keys[entry["source"].source_id] = key

    def _shard(self, owner: str) -> tuple[str, dict]:
        key = f"{self.base.hexdigest()}-rows{zlib.crc32(owner.encode()) % SHARDS:02d}"
        if key not in self.used and self.get(key) is None:
            self.used[key] = {"rows": {}}
        return key, self.used[key]["rows"]

    def rows(self, owner: str, stamp: str):
        """The rows `owner` had in the last build if its stamp is the same, or None: by table, each
        row as (its cells in the columns the rules across rows read, its CSV line)."""
        self.owners.add(owner)
        held = self._shard(owner)[1].get(owner)
        return held[1] if held is not None and held[0] == stamp else None

    def keep_rows(self, owner: str, stamp: str, rows) -> None:
        key, shard = self._shard(owner)
        shard[owner] = (stamp, rows)
        self.new[key] = self.used[key]

    def facts(self):
        """The facts as loaded from this same facts file and code, and checked, or None."""
        entry = self.get(self.base.hexdigest())
        return entry["facts"] if entry else None

    def keep_facts(self, facts) -> None:
        self.put(self.base.hexdigest(), {"facts": facts})

    def sources(self) -> dict[str, dict]:
        """The entries of sources taken from the cache so far, by source id."""
        return {e["source"].source_id: e for e in self.used.values() if "source" in e}

    def save(self) -> None:
        """Write the new entries, each through a temporary name, and remove those no build uses
        (and the rows of owners that are gone)."""
        for key, entry in self.used.items():
            if "rows" in entry and entry["rows"].keys() - self.owners:
                entry["rows"] = {o: held for o, held in entry["rows"].items() if o in self.owners}
                self.new[key] = entry
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, entry in self.new.items():
                partial = self.folder / f".{key}.partial"
                with open(partial, "wb") as f:
                    pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, self.folder / f"{key}.pickle")
            for stale in self.folder.iterdir():
                if stale.stem not in self.used:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only makes the next build a clean one
