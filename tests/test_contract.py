"""The build's own Table Schema check (pledges.tables.contract) refuses what Frictionless refuses."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from conftest import ROOT, copy_parts
from frictionless import Package, Schema

from pledges.tables.contract import CONSTRAINTS, TYPES, across, package_failures, read, rows_failures
from pledges.tables.schemas import load_schema

pytestmark = pytest.mark.slow  # builds or copies the whole package, case after case (make quick leaves it out)


def tables_and_schemas(root):
    resources = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    return ({r["name"]: (root / r["path"]).read_bytes() for r in resources},
            {r["name"]: json.loads((root / r["schema"]).read_text(encoding="utf-8")) for r in resources})


def test_the_published_tables_keep_every_rule_of_their_schemas():
    tables, schemas = tables_and_schemas(ROOT)
    assert package_failures(tables, schemas) == {name: [] for name in tables}


def schemas_in_use() -> dict[str, dict]:
    paths = sorted((ROOT / "schemas").glob("*.json"))
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in paths}


def data_rows(table: str) -> list[list[str]]:
    path = ROOT / "data" / f"{table}.csv"
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) if path.exists() else []


def _beyond(bound, kind: str, step: int) -> str:
    """A cell just past a bound: the bound itself when step is 0."""
    value = Decimal(str(bound)) + step
    return str(int(value)) if kind == "integer" else format(value, "f")


def _not_matching(pattern: str) -> str | None:
    """A cell the pattern refuses, or None when it allows all these."""
    return next((c for c in ("!", "\u00e9", " x ", "0", "x" * 300, "\u0001", "a\nb") if not re.fullmatch(pattern, c)),
                None)


# How to break a cell under each rule the contract implements, from the rule's own value: the cell
# to write; None to copy the next row's cells into the first (unique), or when it cannot be broken.
BREAK = {
    "required": lambda rule, kind: "",
    "enum": lambda rule, kind: "not-in-the-enum",
    "pattern": lambda rule, kind: _not_matching(rule),
    "minimum": lambda rule, kind: _beyond(rule, kind, -1),
    "maximum": lambda rule, kind: _beyond(rule, kind, 1),
    "exclusiveMinimum": lambda rule, kind: _beyond(rule, kind, 0),
    "exclusiveMaximum": lambda rule, kind: _beyond(rule, kind, 0),
    "minLength": lambda rule, kind: "x" * (rule - 1) if rule > 1 else None,
    "maxLength": lambda rule, kind: "x" * (rule + 1),
    "unique": lambda rule, kind: None,
}
NOT_OF_TYPE = {"integer": "1.5", "number": "one", "date": "2024-02-30", "boolean": "maybe"}


def breakages() -> dict[str, tuple[str, list[str], str | None]]:
    """One case per rule the schemas use (each constraint, each type but string, primary and foreign
    keys), on the first table and column that use it and have rows to break:
    name -> (table, columns, cell to write or None to duplicate the next row's)."""
    cases: dict[str, tuple[str, list[str], str | None]] = {}
    for table, schema in schemas_in_use().items():
        rows = data_rows(table)
        if len(rows) < 3:
            continue
        for field in schema["fields"]:
            name, kind = field["name"], field["type"]
            if kind in NOT_OF_TYPE:
                cases.setdefault(f"type {kind}", (table, [name], NOT_OF_TYPE[kind]))
            for key, rule in field.get("constraints", {}).items():
                cell = BREAK[key](rule, kind)
                if rule is not False and (cell is not None or key == "unique"):
                    cases.setdefault(key, (table, [name], cell))
        key = schema.get("primaryKey")
        if key:
            cases.setdefault("primaryKey", (table, [key] if isinstance(key, str) else key, None))
        for foreign in schema.get("foreignKeys", []):
            fields = foreign["fields"]
            cases.setdefault("foreignKeys", (table, [fields] if isinstance(fields, str) else fields, "no-such-key"))
    return cases


def test_every_rule_the_contract_implements_has_a_way_to_be_broken():
    assert set(BREAK) == set(CONSTRAINTS) and set(NOT_OF_TYPE) == set(TYPES) - {"string"}


def test_every_rule_a_schema_uses_has_its_breakage_case():
    """No rule drops out of the breakage cases unseen (a rule used only by tables without rows to
    break would): every breakable rule of every schema is one of the cases."""
    used = set()
    for schema in schemas_in_use().values():
        for field in schema["fields"]:
            if field["type"] in NOT_OF_TYPE:
                used.add(f"type {field['type']}")
            used |= {key for key, rule in field.get("constraints", {}).items()
                     if rule is not False and (key == "unique" or BREAK[key](rule, field["type"]) is not None)}
        used |= {key for key in ("primaryKey", "foreignKeys") if schema.get(key)}
    assert used and set(breakages()) == used


@pytest.mark.parametrize("case", sorted(breakages()))
def test_a_broken_cell_is_refused_by_the_build_and_by_frictionless(tmp_path, case):
    table, columns, value = breakages()[case]
    root = copy_parts(tmp_path, ("data", "schemas", "datapackage.json"))
    rows = data_rows(table)
    at = [rows[0].index(column) for column in columns]
    for index in at:
        rows[1][index] = rows[2][index] if value is None else value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (root / "data" / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")
    tables, schemas = tables_and_schemas(root)
    found = package_failures(tables, schemas)[table]
    line = 3 if value is None else 2  # a copy of the next row is the second of two equal rows
    assert any(f.startswith((f"line {line}, column {columns[0]}:", f"primary key {', '.join(columns)} "))
               for f in found), found
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    wanted = {table} | {key["reference"]["resource"] for key in schemas[table].get("foreignKeys", [])}
    package["resources"] = [r for r in package["resources"] if r["name"] in wanted]  # the table, what it refers to
    for resource in package["resources"]:  # the recorded hashes are of the intact files
        resource.pop("hash"), resource.pop("bytes")
    (root / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = Package(str(root / "datapackage.json")).validate()
    assert not report.valid


@pytest.mark.parametrize("path", sorted((ROOT / "schemas").glob("*.json")), ids=lambda p: p.name)
def test_frictionless_accepts_every_schema_the_build_accepts(path):
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    load_schema(ROOT, path.stem)  # the build loads it (and would refuse a rule it does not check)
    report = Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])


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
