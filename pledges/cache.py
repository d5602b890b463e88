"""The build's cache: a source whose annotation and seed have not changed is not parsed and
checked again.

Each entry is keyed by the SHA-256 of everything its result depends on: the annotation's bytes,
its seed's bytes, the facts file (claims are checked against their facts), and the code and
schemas that read them (every file of pledges/, build.py, schemas/ and requirements.txt, and the
Python version). An entry holds the loaded source, its coverage and its claims' bounds (and one the
loaded facts), and is stored only for what loaded and checked without a problem, so the cache can never make
a build accept what a clean build would refuse. It lives in .cache/build.pickle, outside data/, is
written whole through a temporary name, and is safe to delete: a build without it is a clean build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path

CODE = Path(__file__).resolve().parent.parent
FILE = Path(".cache") / "build.pickle"


@cache
def code_fingerprint() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted([*CODE.glob("pledges/**/*.py"), *CODE.glob("pledges/templates/*"), CODE / "build.py",
                        *CODE.glob("schemas/*.json"), CODE / "requirements.txt"]):
        if path.is_file():
            digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class SourceCache:
    def __init__(self, root: Path, facts_bytes: bytes):
        self.path = root / FILE
        self.base = hashlib.sha256(code_fingerprint() + hashlib.sha256(facts_bytes).digest())
        self.entries: dict[str, object] = {}
        self.used: dict[str, object] = {}
        try:
            with open(self.path, "rb") as f:
                self.entries = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.entries = {}  # no cache, or one from other code: build from scratch

    def key(self, annotation: Path, seed: Path) -> str:
        digest = self.base.copy()
        for path in (annotation, seed):
            digest.update(path.read_bytes() if path.is_file() else b"\0missing")
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is not None:
            self.used[key] = entry
        return entry

    def put(self, key: str, entry) -> None:
        self.used[key] = entry

    def facts(self):
        """The facts as loaded from this same facts file and code, or None."""
        return self.get(self.base.hexdigest())

    def keep_facts(self, facts) -> None:
        self.put(self.base.hexdigest(), facts)

    def save(self) -> None:
        """Write the entries this build used (stale ones go), whole, through a temporary name."""
        try:
            self.path.parent.mkdir(exist_ok=True)
            partial = self.path.with_name(self.path.name + ".partial")
            with open(partial, "wb") as f:
                pickle.dump(self.used, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build a clean one
