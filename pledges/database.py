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

TYPES = {"string": str, "number": float, "integer": int, "date": str}


def _schemas(root: Path) -> list[tuple[dict, dict]]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return [(r, json.loads((root / r["schema"]).read_text(encoding="utf-8"))) for r in package["resources"]]


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
    read = read or (lambda relative: (root / relative).read_bytes())
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


def datasette_metadata(root: Path, database: str) -> dict:
    """Titles, descriptions, column descriptions (with units), licence and sources for Datasette."""
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    licence = package["licenses"][0]
    tables = {}
    for resource, schema in _schemas(root):
        tables[resource["name"]] = {
            "title": resource["title"], "description": resource["description"],
            "columns": {f["name"]: f["description"] for f in schema["fields"]},
        }
    return {
        "title": package["title"], "description": package["description"],
        "license": licence["name"], "license_url": licence["path"],
        "source": "; ".join(s["title"] for s in package["sources"][:-1]),
        "about": f"Data package version {package['version']}", "databases": {database: {"tables": tables}},
    }
