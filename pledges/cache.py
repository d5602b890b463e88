"""The build's cache: a source whose annotation and seed have not changed is not parsed and
checked again, and rows whose inputs have not changed are not rendered and checked again.

One object (BuildCache; NoCache for `build.py --no-cache`) that the pipeline consults when it
loads the inputs and saves when it publishes. Entries are keyed by the SHA-256 of everything
their result depends on: the annotation's bytes, its seed's bytes, the inputs every entry shares
(facts, regions, package.yaml, the vocabulary and the schemas) and the code that reads them (every
file of pledges/, build.py and requirements/build.txt, and the Python version). A source's entry holds
the loaded source and its coverage; one entry the loaded and checked facts; the rendered rows are
kept by owner (a source or a fact, pledges.tables.render) with the owner's stamp. Sources and rows
are each kept in SHARDS files. Entries are stored only for what loaded, checked and was published
without a problem, so a clean build and a build from the cache give the same bytes.

The cache cannot change the data. It lives in .cache/build/, written and read through the safe
file layer. Every entry carries an HMAC-SHA256 of its name and content, checked before anything
in it is unpickled: a damaged, truncated, swapped or foreign entry is dropped with a one-line note
and rebuilt. The HMAC key is a random secret in .cache/build/key mixed with that file's inode and
change time, which no copy, clone or commit of the file reproduces: a cache planted in a commit,
or copied from another checkout, is never trusted. inputs.stat keeps each input's size, inode and
times with its SHA-256, so that an unchanged annotation or seed is not read again to be hashed.
The folder is safe to delete: a build without it is a clean build.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import secrets
import sys
import time
import zlib
from functools import cache
from pathlib import Path

from pledges import ROOT as CODE
from pledges import files

FOLDER = ".cache/build"
SHARDS = 64  # the rendered rows are kept in this many files, so that a rebuild rewrites only a few
STATS = "inputs.stat"  # each input file's size, inode and times, with its SHA-256
KEY = "key"
TAG = 32  # bytes of HMAC-SHA256 before each entry's pickle


@cache
def code_fingerprint() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted([*CODE.glob("pledges/**/*.py"), *CODE.glob("pledges/publish/templates/*"), CODE / "build.py",
                        CODE / "requirements" / "build.txt"]):
        if path.is_file():
            digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class NoCache:
    """The cache switched off (`--no-cache`): nothing is taken from it and nothing kept."""

    notes: list[str] = []

    def __init__(self, root: Path, shared: list[str]):
        self.root = root
        self.source_keys: dict[str, str] = {}

    def key(self, annotation: str, seed: str) -> str:
        return hashlib.sha256(f"{annotation}\0{seed}".encode()).hexdigest()

    def source(self, key: str):
        return None

    def keep_source(self, key: str, entry) -> None:
        self.source_keys[entry["source"].source_id] = key

    def sources(self) -> dict[str, dict]:
        return {}

    def facts(self):
        return None

    def keep_facts(self, facts) -> None:
        pass

    def rows(self, owner: str, stamp: str):
        return None

    def keep_rows(self, owner: str, stamp: str, rows) -> None:
        pass

    def save(self) -> None:
        pass


class BuildCache(NoCache):
    """The entries in .cache/build/: a rebuild reads the files it needs and rewrites only those
    that changed."""

    def __init__(self, root: Path, shared: list[str]):
        """`shared`: the inputs every entry depends on (facts, regions, package.yaml, vocabulary,
        schemas), relative to the package root."""
        super().__init__(root, shared)
        self.notes: list[str] = []
        self.secret = self._secret()
        self.stats_since = 0
        self.stats: dict = {}
        held = self._read(STATS)
        if isinstance(held, tuple) and len(held) == 2:
            self.stats_since, self.stats = held
        self.began = time.time_ns()
        self.seen: dict[str, tuple] = {}
        digest = hashlib.sha256(code_fingerprint())
        for relative in shared:
            digest.update(relative.encode() + b"\0" + self._content(relative))
        self.base = digest
        self.used: dict[str, object] = {}
        self.new: dict[str, object] = {}
        self.taken: dict[str, dict] = {}  # the entries of sources taken from the cache, by key
        self.owners: set[str] = set()  # the owners whose rows this build asked for

    # ---------------------------------------------------------------------------- signing entries

    def _secret(self) -> bytes:
        """The HMAC key: the random secret in .cache/build/key mixed with that file's inode and
        change time (made on first use)."""
        where = f"{FOLDER}/{KEY}"
        files.make_folder(self.root, FOLDER)
        for _ in range(2):
            try:
                with files.opened(self.root, where, limit=64) as (handle, info):
                    secret = files.read_all(handle)
                    if len(secret) == 32:
                        stamp = f"{info.st_dev}:{info.st_ino}:{info.st_ctime_ns}".encode()
                        return hashlib.sha256(secret + stamp).digest()
            except (FileNotFoundError, files.Unsafe):
                pass
            files.remove(self.root, where)
            files.write_bytes(self.root, where, secrets.token_bytes(32))
        raise files.Unsafe(where, "the cache key cannot be made")

    def _tag(self, name: str, payload: bytes) -> bytes:
        return hmac.new(self.secret, name.encode() + b"\0" + payload, hashlib.sha256).digest()

    def _read(self, name: str):
        """The entry `name`, or None when it is missing or fails its check (dropped, with a note)."""
        try:
            data = files.read_bytes(self.root, f"{FOLDER}/{name}")
        except FileNotFoundError:
            return None
        except (OSError, files.Unsafe) as error:
            self.notes.append(f"cache: {name} cannot be read ({error}); rebuilt")
            return None
        tag, payload = data[:TAG], data[TAG:]
        if len(data) < TAG or not hmac.compare_digest(tag, self._tag(name, payload)):
            self.notes.append(f"cache: {name} failed its check (damaged, or not made by this checkout); dropped and "
                              f"rebuilt")
            return None
        try:
            return pickle.loads(payload)
        except Exception as error:
            self.notes.append(f"cache: {name} could not be read back ({type(error).__name__}); dropped and rebuilt")
            return None

    def _write(self, name: str, entry) -> None:
        payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        files.write_bytes(self.root, f"{FOLDER}/{name}", self._tag(name, payload) + payload)

    # ---------------------------------------------------------------------------------- inputs

    def key(self, annotation: str, seed: str) -> str:
        digest = self.base.copy()
        for relative in (annotation, seed):
            digest.update(self._content(relative))
            digest.update(b"\0")
        return digest.hexdigest()

    def _content(self, relative: str) -> bytes:
        """The SHA-256 of a file's bytes, read through the safe file layer (a link, FIFO or special
        file is never opened or hashed: it counts as missing, and the build's own reading refuses
        it). A file whose size, inode, modification and change times are those the last build
        recorded is not read again, provided it was last changed at least two seconds before that
        build began (a file changed within the same tick may keep its times: read, as git does)."""
        try:
            with files.opened(self.root, relative) as (handle, info):
                seen = (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
                held = self.stats.get(relative)
                if held is not None and held[0] == seen and max(seen[2:]) < self.stats_since - 2_000_000_000:
                    digest = held[1]
                else:
                    digest = hashlib.sha256(files.read_all(handle)).digest()
        except (OSError, files.Unsafe):
            return b"\0missing"
        self.seen[relative] = (seen, digest)
        return digest

    # ---------------------------------------------------------------------------------- entries

    def _get(self, key: str):
        if key not in self.used:
            entry = self._read(f"{key}.pickle")
            if entry is None:
                return None
            self.used[key] = entry
        return self.used[key]

    def _shard(self, kind: str, name: str) -> tuple[str, dict]:
        """The shard file of `kind` ("sources" or "rows") that holds `name`: its key, and its dict."""
        key = f"{self.base.hexdigest()}-{kind}{zlib.crc32(name.encode()) % SHARDS:02d}"
        entry = self._get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get(kind), dict):
            self.used[key] = entry = {kind: {}}
        return key, entry[kind]

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
        entry = self._get(self.base.hexdigest())
        return entry.get("facts") if isinstance(entry, dict) else None

    def keep_facts(self, facts) -> None:
        self.used[self.base.hexdigest()] = self.new[self.base.hexdigest()] = {"facts": facts}

    def sources(self) -> dict[str, dict]:
        """The entries of sources taken from the cache so far, by source id."""
        return {e["source"].source_id: e for e in self.taken.values()}

    def save(self) -> None:
        """Write the new entries, each signed and through a temporary name, and remove those no
        build uses (and the rows of owners that are gone)."""
        wanted = {"rows": self.owners, "sources": set(self.source_keys.values())}
        for key, entry in self.used.items():
            for kind, names in wanted.items():
                if isinstance(entry, dict) and kind in entry and entry[kind].keys() - names:
                    entry[kind] = {n: held for n, held in entry[kind].items() if n in names}
                    self.new[key] = entry
        try:
            for key, entry in self.new.items():
                self._write(f"{key}.pickle", entry)
            self._write(STATS, (self.began, self.seen))
            for stale in files.listing(self.root, FOLDER):
                if stale.endswith(".pickle") and stale[:-len(".pickle")] not in self.used:
                    files.remove(self.root, f"{FOLDER}/{stale}")
        except (OSError, files.Unsafe):
            pass  # a cache that cannot be written only makes the next build a clean one


def open_cache(root: Path, shared: list[str], enabled: bool = True) -> NoCache:
    """The build cache of the package under `root`, or NoCache when switched off."""
    return BuildCache(root, shared) if enabled else NoCache(root, shared)
