"""make release and make diff, used as a maintainer and a reader would use them."""

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlite_utils
from frictionless import validate

from conftest import ROOT, SOURCE_000, copy_parts
from pledges import diff, release
from pledges.tables import package_metadata

PARTS = ("annotations", "seeds", "schemas", "package.yaml", "build.py", "pledges", "data", "datapackage.json",
         "README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md")
NAME = "big-tech-ai-cloud-pledges-france"
VERSION = package_metadata(ROOT)["version"]


def checkout(path):
    """A committed git checkout of the package, as a maintainer has."""
    copy_parts(path, PARTS)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "package")
    return path


def git(path, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=path, check=True)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = checkout(tmp_path_factory.mktemp("released"))
    assert release.main(["--root", str(root)]) == 0
    return root


def test_release_zip_is_a_valid_data_package(released):
    report = validate(str(released / f"dist/{NAME}-{VERSION}.zip"))
    assert report.valid, report.flatten(["type", "note"])


def test_every_csv_reads_with_pandas_from_the_zip(released):
    with zipfile.ZipFile(released / f"dist/{NAME}-{VERSION}.zip") as archive:
        package = json.loads(archive.read("datapackage.json"))
        for resource in package["resources"]:
            table = pd.read_csv(io.BytesIO(archive.read(resource["path"])))
            assert len(table) == len(pd.read_csv(ROOT / resource["path"])), resource["name"]
        assert {"README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md", "schemas/claims.json"} <= set(archive.namelist())


def test_checksums_verify(released):
    lines = (released / "dist/SHA256SUMS").read_text().splitlines()
    assert len(lines) == 2
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((released / "dist" / name).read_bytes()).hexdigest() == digest


def test_database_has_keys_and_full_text_search_on_quotes(released):
    db = sqlite_utils.Database(released / f"dist/{NAME}-{VERSION}.sqlite")
    assert db["claims"].pks == ["claim_id"] and db["pledges"].pks == ["fact_id"]
    assert {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys} == {("source_id", "sources"), ("fact_id", "pledges")}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    found = db.execute("select claim_id from claims where rowid in "
                       "(select rowid from claims_fts where claims_fts match 'miliardi')").fetchall()
    assert found == [("003_25e5ca3ece719531-c03",)]
    db.conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.conn.execute("update claims set source_id = 'nope' where claim_id = '000_a740679b1ad3bc90-c01'")


def test_second_release_of_the_same_version_refuses(released, capsys):
    assert release.main(["--root", str(released)]) == 1
    assert f"version {VERSION} is released already" in capsys.readouterr().err


def test_release_refuses_uncommitted_data(tmp_path, capsys):
    root = checkout(tmp_path)
    (root / "data/gpus.csv").write_text("edited\n")
    assert release.main(["--root", str(root)]) == 1
    assert "uncommitted changes in the package" in capsys.readouterr().err
    assert not (root / "dist").exists()


def test_release_refuses_committed_data_that_differ_from_a_fresh_build(tmp_path, capsys):
    root = checkout(tmp_path)
    path = root / "data/gpus.csv"
    path.write_text(path.read_text().replace("25000", "26000"))
    git(root, "commit", "-qam", "edit by hand")
    assert release.main(["--root", str(root)]) == 1
    assert "the committed data differ from a fresh build: data/gpus.csv" in capsys.readouterr().err


def test_diff_shows_a_real_change_since_a_release(released, tmp_path, capsys):
    import build

    released = Path(shutil.copytree(released, tmp_path / "changed"))  # leave the shared release as it was
    text = (released / SOURCE_000).read_text()
    assert text.count("qualifier: up_to") == 1
    (released / SOURCE_000).write_text(text.replace("qualifier: up_to", "qualifier: about"))
    assert build.main(["--root", str(released)]) == 0
    capsys.readouterr()
    assert diff.main(["--from", VERSION, "--root", str(released)]) == 0
    out = capsys.readouterr().out
    changed = {line.split(":")[0][4:]: line for line in out.splitlines() if line.startswith("==> ")}
    assert "0 added, 0 removed, 0 changed" in changed["sources"]  # the edit touched no source row
    assert "0 changed" not in changed["claims"]
    page = (released / f"dist/diff-{VERSION}-{VERSION}.html").read_text()
    assert 'class="modify"' in page and "up_to→about" in page and "000_a740679b1ad3bc90-c02" in page


def test_diff_from_an_unknown_version_says_so(released, capsys):
    assert diff.main(["--from", "0.0.1", "--root", str(released)]) == 1
    assert "version 0.0.1 not found" in capsys.readouterr().err


def test_diff_finds_an_earlier_version_in_the_git_history_without_a_tag_or_a_zip(tmp_path, capsys):
    import build

    root = checkout(tmp_path / "clone")
    package_yaml = root / "package.yaml"
    package_yaml.write_text(package_yaml.read_text().replace(f"version: {VERSION}", "version: 99.0.0"))
    text = (root / SOURCE_000).read_text()
    (root / SOURCE_000).write_text(text.replace("qualifier: up_to", "qualifier: about"))
    assert build.main(["--root", str(root)]) == 0
    git(root, "commit", "-qam", "next version")
    capsys.readouterr()
    assert not (root / "dist").exists()
    assert diff.main(["--from", VERSION, "--root", str(root)]) == 0
    assert "up_to→about" in (root / f"dist/diff-{VERSION}-99.0.0.html").read_text()
