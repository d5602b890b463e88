"""The build's own Table Schema check (pledges.tables.contract) refuses what Frictionless refuses."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, copy_parts
from frictionless import Package

from pledges.tables.contract import across, package_failures, read, rows_failures


def tables_and_schemas(root):
    resources = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    return ({r["name"]: (root / r["path"]).read_bytes() for r in resources},
            {r["name"]: json.loads((root / r["schema"]).read_text(encoding="utf-8")) for r in resources})


def test_the_published_tables_keep_every_rule_of_their_schemas():
    tables, schemas = tables_and_schemas(ROOT)
    assert package_failures(tables, schemas) == {name: [] for name in tables}


BREAKAGES = {  # (table, column, value written into the first row, what the message says)
    "enum": ("claims", "unit", "EURO", "is not one of"),
    "type": ("claims", "value", "4bn", "not number"),
    "date": ("pledges", "announced", "2024-02-30", "not date"),
    "pattern": ("pledges", "country", "fr", "does not match"),
    "required": ("claims", "quote", "", "required"),
    "minimum": ("sources", "n_mentions", "0", "below the minimum"),
    "exclusive_minimum": ("claims", "value", "0", "is not above"),
    "foreign_key": ("claims", "source_id", "999_0000000000000000", "is not a sources.source_id"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_broken_cell_is_refused_by_the_build_and_by_frictionless(tmp_path, case):
    import csv
    import io

    table, column, value, message = BREAKAGES[case]
    root = copy_parts(tmp_path, ("data", "schemas", "datapackage.json"))
    path = root / "data" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    tables, schemas = tables_and_schemas(root)
    found = package_failures(tables, schemas)[table]
    assert any(message in f and f"column {column}" in f for f in found), found
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:  # the recorded hashes are of the intact files
        resource.pop("hash"), resource.pop("bytes")
    (root / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = Package(str(root / "datapackage.json")).validate()
    assert not report.valid


def test_rules_across_rows_hold_on_rows_the_build_takes_from_its_cache():
    """A build checks the cells of the rows it rendered; uniqueness and foreign keys on all rows."""
    data, schemas = tables_and_schemas(ROOT)
    kept = across(schemas)
    tables = {name: read(data[name], kept[name]) for name in data}
    claims = tables["claims"]
    at = {name: claims.header.index(name) for name in ("claim_id", "source_id", "unit")}
    first, second = claims.cells[1], claims.cells[2]
    second[at["claim_id"]] = first[at["claim_id"]]
    first[at["source_id"]] = "999_0000000000000000"
    second[at["unit"]] = "EURO"
    claims.keys = [tuple(claims.cells[n][claims.header.index(c)] for c in kept["claims"]) for n in sorted(claims.cells)]
    claims.cells = {}  # no row rendered by this build
    found = rows_failures(tables, schemas)["claims"]
    assert any("line 3, column claim_id" in f and "is not unique" in f for f in found), found
    assert any("line 2, column source_id" in f and "is not a sources.source_id" in f for f in found), found
    assert not any("EURO" in f for f in found)  # a rule on one cell: held by the build the row was taken from
    claims.cells = {2: second}
    assert any("line 3, column unit" in f and "is not one of" in f for f in rows_failures(tables, schemas)["claims"])
