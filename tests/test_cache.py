"""The build's cache never makes a build publish what a clean build would not."""

from __future__ import annotations

import shutil

import pytest
from conftest import SOURCE_000, annotated

from pledges import pipeline
from tools import synthetic

pytestmark = pytest.mark.slow  # builds or copies the whole package, case after case (make quick leaves it out)


def outputs(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in [*(root / "data").iterdir(),
                                                                     root / "datapackage.json"]}


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


C01 = annotated(SOURCE_000, "c01")  # a part of a reported total
C01_FIGURE = f"    value: {C01['value']}\n    unit: {C01['unit']}\n    qualifier: {C01['qualifier']}"


# Edits whose effect reaches rows of other owners: the stamps must notice each (pledges.tables.owner_stamps).
EDITS = {
    "a hedge of a total's part": lambda p: p.edit(SOURCE_000, C01_FIGURE, C01_FIGURE.replace(
        f"qualifier: {C01['qualifier']}", "qualifier: about")),
    "a region's English name": lambda p: p.edit("annotations/regions.yaml", "name: Grand Est", "name: Grand East"),
    "a fact's label": lambda p: p.edit("annotations/facts.yaml", "label: Microsoft investment in cloud",
                                       "label: Microsoft's investment in cloud"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rows_from_the_cache_are_the_rows_of_a_clean_build(package, capsys, edit):
    assert package.build(capsys)[0] == 0  # fills the cache, rows included
    before = outputs(package.root)
    EDITS[edit](package)
    assert package.build(capsys)[0] == 0
    warm = outputs(package.root)
    assert warm != before  # the edit shows
    shutil.rmtree(package.root / ".cache")
    assert package.build(capsys)[0] == 0
    assert outputs(package.root) == warm


def test_a_source_removed_and_put_back_leaves_the_rows_of_a_clean_build(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 30)  # every fact is stated by three sources
    annotation = sorted((root / "annotations/sources").glob("*.yaml"))[0]
    kept = annotation.read_bytes()
    assert pipeline.main(["--root", str(root)]) == 0
    full = outputs(root)
    annotation.unlink()  # its facts keep the claims of two sources; its seed is left unannotated
    assert pipeline.main(["--root", str(root)]) == 0
    without = outputs(root)
    annotation.write_bytes(kept)
    assert pipeline.main(["--root", str(root)]) == 0
    assert outputs(root) == full
    annotation.unlink()
    shutil.rmtree(root / ".cache")
    assert pipeline.main(["--root", str(root)]) == 0
    assert outputs(root) == without != full
    capsys.readouterr()


def test_rows_from_the_cache_meet_the_package_schemas_as_they_are_now(package, capsys):
    assert package.build(capsys)[0] == 0
    package.edit("schemas/sources.json", '"pattern": "[^=+\\\\-@\\\\t\\\\r][\\\\s\\\\S]*"',
                 '"pattern": "Z[\\\\s\\\\S]*"')
    status, _, err = package.build(capsys)  # the first such pattern is the name's: none starts with Z
    assert status == 1 and "table sources" in err and "does not match Z" in err


def test_facts_from_the_cache_still_need_a_claim_each(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 2, claims=10, facts=20)  # each source states ten facts
    assert pipeline.main(["--root", str(root)]) == 0
    sorted((root / "annotations/sources").glob("*.yaml"))[1].unlink()
    assert pipeline.main(["--root", str(root)]) == 1
    assert "fact has no claims" in capsys.readouterr().err


def test_a_seed_changed_with_its_old_times_put_back_is_read_again(package, capsys):
    import os
    import time

    assert package.build(capsys)[0] == 0
    time.sleep(2.1)  # the files are now older than the next build's start by more than two seconds
    assert package.build(capsys)[0] == 0  # records their times as trusted
    seed = package.root / "seeds/000_a740679b1ad3bc90.txt"
    before = seed.stat()
    seed.write_bytes(seed.read_bytes().replace(b"invest", b"inve5t", 1))  # the same size
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))  # and its old modification time
    status, _, err = package.build(capsys)  # its change time is new: it is read and hashed again
    assert status == 1 and "seed differs from the one annotated" in err
