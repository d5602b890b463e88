"""Independent sources: near-duplicate articles (wire copy republished, aggregator copies) grouped,
so that "corroborated by three sources" cannot mean one dispatch three times.

The rule (documented in docs/methodology.md): an article's text, its page furniture removed (every
line of fewer than FURNITURE words: headlines, bylines, datelines, "Read Entire Article"), is cut
into word shingles of SHINGLE words, lower-cased. Two articles are copies when the Jaccard
similarity of their shingle sets is at least THRESHOLD. The similarity is estimated with MinHash
(datasketch; PERMUTATIONS permutations, a fixed seed, so that groups are the same on every machine)
and candidate pairs are found with locality-sensitive hashing (MinHashLSH), so the work grows
with the number of articles, not its square. Copies of copies are one group; a group is named
after its earliest source id.

The threshold is tested on a copy with a new header line (the same group) and on two different
articles about the same pledges (two groups): tests/test_independence.py.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

FURNITURE = 6  # lines with fewer words are page furniture
SHINGLE = 5
PERMUTATIONS = 128
THRESHOLD = 0.5
SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme, named so that a signature is read back as made
WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    words = [w for line in text.splitlines() if len(found := WORD.findall(line.lower())) >= FURNITURE
             for w in found]
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1))} \
        if words else set()


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of an article (kept in the build cache with its source)."""
    digest = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
    found = sorted(shingles(text))
    if found:
        digest.update_batch(found)
    return tuple(int(v) for v in digest.hashvalues)


def _minhash(values: tuple[int, ...]) -> MinHash:
    return MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME, hashvalues=np.array(values, dtype=np.uint64))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return float(_minhash(a).jaccard(_minhash(b)))


def groups(signatures: dict[str, tuple[int, ...]]) -> dict[str, str]:
    """Each source id's group: the earliest source id among the articles it is a copy of (itself
    when none)."""
    ids = sorted(signatures)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    hashes = {i: _minhash(signatures[i]) for i in ids}
    empty = tuple(int(v) for v in MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME).hashvalues)
    for i in ids:
        if signatures[i] == empty:  # no text to compare: its own group
            continue
        for j in index.query(hashes[i]):
            if hashes[i].jaccard(hashes[j]) >= THRESHOLD:
                a, b = sorted((root(i), root(j)))
                parent[b] = a
        index.insert(i, hashes[i])
    return {i: root(i) for i in ids}
