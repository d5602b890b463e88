"""The published package: valid, reproducible to the byte, and every quote checkable."""

import csv
import hashlib
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SOURCE_000
from frictionless import Package as FrictionlessPackage
from frictionless import validate

from pledges.publish.docs import stale

pytestmark = pytest.mark.data  # depends on the package's data: run again when a source is added


@pytest.mark.slow  # frictionless or a fresh process
def test_package_is_valid_frictionless_data_package():
    report = validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_package_declares_version_licence_and_v2_profile():
    package = FrictionlessPackage(str(ROOT / "datapackage.json"))
    descriptor = package.to_descriptor()
    assert re.fullmatch(r"\d+\.\d+\.\d+", descriptor["version"])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["$schema"].endswith("/2.0/datapackage.json")


def test_fresh_build_reproduces_the_committed_package_byte_for_byte(package, capsys):
    committed = package.outputs()
    assert package.build(capsys)[0] == 0
    assert package.outputs() == committed
    assert package.build(capsys)[0] == 0
    assert package.outputs() == committed


def test_outputs_are_utf8_without_bom_with_unix_line_endings():
    for path in [*sorted((ROOT / "data").glob("*.csv")), ROOT / "datapackage.json"]:
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, path.name
        data.decode("utf-8")


def test_every_quote_stands_verbatim_at_its_offsets_in_its_seed():
    with open(ROOT / "data/claims.csv", encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    assert len(claims) >= 50
    for claim in claims:
        text = (ROOT / "seeds" / f"{claim['source_id']}.txt").read_text(encoding="utf-8")
        assert text[int(claim["quote_start"]):int(claim["quote_end"])] == claim["quote"], claim["claim_id"]


def test_seed_readme_lists_the_sha256_of_every_seed():
    readme = (ROOT / "seeds/README.md").read_text(encoding="utf-8")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert f"`{seed.name}` |" in readme
        assert hashlib.sha256(seed.read_bytes()).hexdigest() in readme, seed.name


def test_generated_documents_match_the_schemas_and_the_data():
    """README's key figures and citation, docs/data-dictionary.md, the methodology's statuses and
    CITATION.cff are what `make docs` writes from the schemas, the vocabulary and the data."""
    assert not stale(ROOT), "run 'make docs'"


@pytest.mark.slow  # frictionless or a fresh process
def test_hand_edited_csv_fails_validation(package):
    path = package.root / "data/gpus.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("25000", "26000"), encoding="utf-8")
    report = validate(str(package.root / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {error.type for task in report.tasks for error in task.errors}


def test_country_no_is_norway_not_false(package, capsys):
    package.edit("annotations/facts.yaml", "country: DE", "country: NO")
    assert package.build(capsys)[0] == 0
    with open(package.root / "data/pledges.csv", encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["fact_id"] == "msft-de-investment")
    assert (row["country"], row["country_name"]) == ("NO", "Norway")


@pytest.mark.slow  # frictionless or a fresh process
def test_command_line_build_reports_bad_input_without_traceback(package):
    package.edit(SOURCE_000, "value: 4000000000\n", "value: 4bn\n")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(package.root)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"{SOURCE_000}:21: claim c01: value is not a plain number" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # frictionless or a fresh process
def test_claim_pointing_to_an_unknown_source_fails_validation(package):
    path = package.root / "data/claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "000_a740679b1ad3bc90-c01,000_a740679b1ad3bc90,", "000_a740679b1ad3bc90-c01,009_a740679b1ad3bc90,"),
        encoding="utf-8")
    report = validate(str(package.root / "datapackage.json"))
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}
