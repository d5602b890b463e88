"""The build's cache never makes a build publish what a clean build would not."""

from __future__ import annotations

import shutil

from conftest import SOURCE_000


def outputs(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in [*(root / "data").iterdir(), root / "datapackage.json"]}


def test_a_build_from_the_cache_writes_the_bytes_of_a_clean_build(package, capsys):
    assert package.build(capsys)[0] == 0  # fills the cache
    assert list((package.root / ".cache/build").glob("*.pickle"))
    package.edit(SOURCE_000, "publisher: TelecomTV", "publisher: TelecomTV (edited)")
    assert package.build(capsys)[0] == 0  # one source read again, the others from the cache
    warm = outputs(package.root)
    shutil.rmtree(package.root / ".cache")
    assert package.build(capsys)[0] == 0
    assert outputs(package.root) == warm
    assert b"TelecomTV (edited)" in warm["data/sources.csv"]


def test_a_cached_source_whose_seed_changed_is_checked_again(package, capsys):
    assert package.build(capsys)[0] == 0
    seed = package.root / "seeds/000_a740679b1ad3bc90.txt"
    seed.write_bytes(seed.read_bytes().replace(b"invest", b"inve5t", 1))
    status, _, err = package.build(capsys)
    assert status == 1 and "seed differs from the one annotated" in err


def test_a_problem_is_reported_whatever_the_cache_holds(package, capsys):
    assert package.build(capsys)[0] == 0
    package.edit("annotations/facts.yaml", "  - id: msft-fr-gpus", "  - id: msft-fr-gpu")
    status, _, err = package.build(capsys)  # the facts changed: every source is checked against them again
    assert status == 1 and "unknown fact" in err


def test_a_corrupt_cache_is_a_clean_build(package, capsys):
    assert package.build(capsys)[0] == 0
    before = outputs(package.root)
    for entry in (package.root / ".cache/build").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert package.build(capsys)[0] == 0
    assert outputs(package.root) == before
