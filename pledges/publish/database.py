"""The package as a SQLite database (sqlite-utils), and Datasette metadata describing it.

Tables, column types, primary keys and foreign keys come from the Table Schemas, so the
database states the same contract as datapackage.json; claims.quote gets full-text search.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import sqlite_utils

from pledges import files
from pledges.inputs.metadata import read_datapackage

TYPES = {"string": str, "number": float, "integer": int, "date": str}


def _schemas(root: Path) -> list[tuple[dict, dict]]:
    package = read_datapackage(root)
    return [(r, json.loads(files.read_text(root, r["schema"]))) for r in package["resources"]]


def _rows(data: bytes, schema: dict) -> list[dict]:
    types = {f["name"]: TYPES[f["type"]] for f in schema["fields"]}
    return [{k: (types[k](v) if v != "" else None) for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(data.decode("utf-8")))]


def write_database(root: Path, path: Path, read=None) -> None:
    """Write the package under `root` to a new SQLite file at `path`.

    `read(relative_path) -> bytes` reads a package file (default: from `root`), so a release can
    build its database from exactly the bytes it zips. Foreign keys are declared once every table
    is filled (pledges and claims refer to each other), then checked: a dangling reference is an
    error, and a reader who turns on PRAGMA foreign_keys gets them enforced."""
    read = read or (lambda relative: files.read_bytes(root, relative))
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    foreign_keys = []
    for resource, schema in _schemas(root):
        db[resource["name"]].insert_all(
            _rows(read(resource["path"]), schema), pk=schema["primaryKey"][0],
            columns={f["name"]: TYPES[f["type"]] for f in schema["fields"]},
            not_null={f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")})
        foreign_keys += [(resource["name"], fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
                         for fk in schema.get("foreignKeys", [])]
    db.add_foreign_keys(foreign_keys)
    dangling = db.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise ValueError(f"foreign keys that point nowhere: {dangling[:5]}")
    db["claims"].enable_fts(["quote"], create_triggers=True)
    db.conn.commit()
    db.vacuum()
    db.close()


# How each table reads in Datasette: the column a foreign key shows instead of an id, and the
# default sort. Facets are every column with an enum in its Table Schema, and the subject.
LABELS = {"sources": "name", "pledges": "label", "claims": "quote", "checks": "explanation", "totals": "label"}
SORTS = {"checks": "severity", "claims": "fact_id"}
QUERIES = {
    "disagreements": {
        "title": "Pledges where sources disagree, with their findings",
        "description": "Every finding that is not consistent, with its pledge, its verdict and the explanation.",
        "sql": "select p.fact_id, p.label, p.status, c.kind, c.verdict, c.found, c.expected, c.explanation "
               "from checks c join pledges p on p.fact_id = c.fact_id where c.verdict != 'consistent' "
               "order by p.fact_id, c.check_id",
    },
    "claims_of_a_pledge": {
        "title": "Every claim of a pledge, with its quote",
        "description": "The claims about one pledge (its fact_id), each with its source, figure, rank and quote.",
        "sql": "select c.claim_id, s.name as source, s.language, s.published, c.value, c.unit, c.qualifier, "
               "c.rank, c.quote from claims c join sources s on s.source_id = c.source_id "
               "where c.fact_id = :fact_id order by c.claim_id",
    },
}


def datasette_metadata(root: Path, database: str) -> dict:
    """Titles, descriptions, column descriptions (with units), facets, sorts, label columns,
    canned queries, licence and sources for Datasette."""
    package = read_datapackage(root)
    licence = package["licenses"][0]
    tables = {}
    for resource, schema in _schemas(root):
        names = [f["name"] for f in schema["fields"]]
        facets = [f["name"] for f in schema["fields"] if "enum" in f.get("constraints", {})]
        facets += [n for n in ("subject", "source_id") if n in names and resource["name"] != "sources"]
        tables[resource["name"]] = {
            "title": resource["title"], "description": resource["description"],
            "columns": {f["name"]: f["description"] for f in schema["fields"]},
            "facets": facets, "sort": SORTS.get(resource["name"], schema["primaryKey"][0]),
            "license": licence["name"], "license_url": licence["path"],
            **({"label_column": LABELS[resource["name"]]} if resource["name"] in LABELS else {}),
        }
    return {
        "title": package["title"], "description": package["description"],
        "license": licence["name"], "license_url": licence["path"],
        "source": "; ".join(s["title"] for s in package["sources"][:-1]),
        "about": f"Data package version {package['version']}",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
