"""The build's cache: a source whose annotation and seed have not changed is not parsed and
checked again, and rows whose inputs have not changed are not rendered and checked again.

Each entry is keyed by the SHA-256 of everything its result depends on: the annotation's bytes,
its seed's bytes, the facts file (claims are checked against their facts), the region names, the
package's package.yaml and schemas/ (the tables' rules), and the code that reads them (every file
of pledges/, build.py, schemas/ and requirements.txt, and the Python version). A source's entry
holds the loaded source and its coverage; one entry holds the loaded and checked facts. The
rendered rows are kept by owner (a source or a fact, pledges.tables.render) with the owner's stamp.
Sources and rows are each kept in SHARDS files named by the code and those shared inputs.
Entries are stored only for what loaded, checked and was published without a problem, so the
cache can never make a build accept what a clean build would refuse.
It lives in .cache/build/, outside data/, each file written through a temporary name, with
inputs.stat (each input's size, inode and times with its SHA-256, so that an unchanged file is not
read again to be hashed), and is safe to delete: a build without it is a clean build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
import zlib
from functools import cache
from pathlib import Path

from pledges import ROOT as CODE

FOLDER = Path(".cache") / "build"
SHARDS = 64  # the rendered rows are kept in this many files, so that a rebuild rewrites only a few
STATS = "inputs.stat"  # each input file's size, inode and times, with its SHA-256


@cache
def code_fingerprint() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted([*CODE.glob("pledges/**/*.py"), *CODE.glob("pledges/publish/templates/*"), CODE / "build.py",
                        *CODE.glob("schemas/*.json"), CODE / "requirements.txt"]):
        if path.is_file():
            digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class SourceCache:
    """The entries in .cache/build/: a rebuild reads the files it needs and rewrites only those
    that changed."""

    def __init__(self, root: Path, shared: bytes):
        """`shared`: the bytes of the inputs every entry depends on (facts, regions, tables' schemas)."""
        self.folder = root / FOLDER
        self.base = hashlib.sha256(code_fingerprint() + hashlib.sha256(shared).digest())
        self.used: dict[str, object] = {}
        self.new: dict[str, object] = {}
        self.source_keys: dict[str, str] = {}  # source id -> the key of its entry
        self.taken: dict[str, dict] = {}  # the entries of sources taken from the cache, by key
        self.owners: set[str] = set()  # the owners whose rows this build asked for
        # Each input file's (size, inode, times) and SHA-256, as the last build found them, and when it began.
        self.stats_since, self.stats = 0, {}
        try:
            with open(self.folder / STATS, "rb") as f:
                self.stats_since, self.stats = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        self.began = time.time_ns()
        self.seen: dict[str, tuple] = {}

    def key(self, annotation: Path, seed: Path) -> str:
        digest = self.base.copy()
        for path in (annotation, seed):
            digest.update(self._content(path))
            digest.update(b"\0")
        return digest.hexdigest()

    def _content(self, path: Path) -> bytes:
        """The SHA-256 of a file's bytes. A file whose size, inode, modification and change times
        are those recorded by the last build is not read again, provided it was last changed at
        least two seconds before that build began: a file changed later, within the same tick of
        the clock, may keep its times, so it is read (as git does for its index)."""
        try:
            info = os.stat(path)
        except OSError:
            return b"\0missing"
        seen = (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        held = self.stats.get(str(path))
        if held is not None and held[0] == seen and max(seen[2:]) < self.stats_since - 2_000_000_000:
            digest = held[1]
        else:
            try:
                digest = hashlib.sha256(path.read_bytes()).digest()
            except OSError:
                return b"\0missing"
        self.seen[str(path)] = (seen, digest)
        return digest

    def get(self, key: str):
        if key in self.used:
            return self.used[key]
        try:
            with open(self.folder / f"{key}.pickle", "rb") as f:
                entry = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # not there, or from other code: read and check it again
        self.used[key] = entry
        return entry

    def put(self, key: str, entry) -> None:
        self.used[key] = entry
        self.new[key] = entry

    def _shard(self, kind: str, name: str) -> tuple[str, dict]:
        """The shard file of `kind` ("sources" or "rows") that holds `name`: its key, and its dict."""
        key = f"{self.base.hexdigest()}-{kind}{zlib.crc32(name.encode()) % SHARDS:02d}"
        if key not in self.used and self.get(key) is None:
            self.used[key] = {kind: {}}
        return key, self.used[key][kind]

    def source(self, key: str):
        """The entry of a source loaded and checked before with this key, or None."""
        entry = self._shard("sources", key)[1].get(key)
        if entry is not None:
            self.taken[key] = entry
            self.source_keys[entry["source"].source_id] = key
        return entry

    def keep_source(self, key: str, entry) -> None:
        shard_key, shard = self._shard("sources", key)
        shard[key] = entry
        self.new[shard_key] = self.used[shard_key]
        self.source_keys[entry["source"].source_id] = key

    def rows(self, owner: str, stamp: str):
        """The rows `owner` had in the last build if its stamp is the same, or None: by table, each
        row as (its cells in the columns the rules across rows read, its CSV line)."""
        self.owners.add(owner)
        held = self._shard("rows", owner)[1].get(owner)
        return held[1] if held is not None and held[0] == stamp else None

    def keep_rows(self, owner: str, stamp: str, rows) -> None:
        key, shard = self._shard("rows", owner)
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
        return {e["source"].source_id: e for e in self.taken.values()}

    def save(self) -> None:
        """Write the new entries, each through a temporary name, and remove those no build uses
        (and the rows of owners that are gone)."""
        wanted = {"rows": self.owners, "sources": set(self.source_keys.values())}
        for key, entry in self.used.items():
            for kind, names in wanted.items():
                if kind in entry and entry[kind].keys() - names:
                    entry[kind] = {n: held for n, held in entry[kind].items() if n in names}
                    self.new[key] = entry
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, entry in self.new.items():
                partial = self.folder / f".{key}.partial"
                with open(partial, "wb") as f:
                    pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, self.folder / f"{key}.pickle")
            partial = self.folder / f".{STATS}.partial"
            with open(partial, "wb") as f:
                pickle.dump((self.began, self.seen), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.folder / STATS)
            for stale in self.folder.iterdir():
                if stale.stem not in self.used and stale.name != STATS:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only makes the next build a clean one
