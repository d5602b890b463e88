"""The package as a SQLite database (sqlite-utils), and Datasette metadata describing it.

Tables, column types, primary keys and foreign keys come from the Table Schemas, so the database
states the same contract as datapackage.json: text as TEXT, integers as INTEGER, numbers as
NUMERIC (a whole number stays an integer: 3000, never 3000.0; a fraction is REAL), booleans as
0 or 1, dates as ISO text. Every foreign key has an index; a view (headline_pledges) holds the
pledges the package leads with (Vocabulary.leads: Choose France 2024, in France); claims.quote
has full-text search.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from pledges import files, vocabulary
from pledges.errors import BuildFailed, Problem
from pledges.inputs.metadata import read_datapackage

SQL = {"string": "TEXT", "number": "NUMERIC", "integer": "INTEGER", "date": "TEXT", "boolean": "INTEGER"}
READ: dict[str, Callable[[str], object]] = {"string": str, "number": float, "integer": int, "date": str,
                                            "boolean": lambda cell: int(cell == "true")}
VIEW = "headline_pledges"  # the pledges the package leads with (Vocabulary.leads), as the README lists them
VIEW_COLUMNS = ("fact_id, subject, label, metric, value, value_to, unit, qualifier, stated_low, stated_high, status, "
                "print_advice, target_date, delivery, n_stating, n_sources, n_independent")


def _schemas(root: Path, read) -> list[tuple[dict, dict]]:
    package = json.loads(read("datapackage.json"))
    return [(r, json.loads(read(r["schema"]))) for r in package["resources"]]


def _rows(data: bytes, schema: dict) -> list[tuple]:
    kinds = [READ[f["type"]] for f in schema["fields"]]
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(rows)
    return [tuple(kind(cell) if cell != "" else None for kind, cell in zip(kinds, row)) for row in rows]


def _create(name: str, schema: dict) -> str:
    columns = [f"[{f['name']}] {SQL[f['type']]}{' NOT NULL' if f.get('constraints', {}).get('required') else ''}"
               for f in schema["fields"]]
    columns.append(f"PRIMARY KEY ({', '.join(f'[{k}]' for k in schema['primaryKey'])})")
    columns += [f"FOREIGN KEY ([{fk['fields'][0]}]) REFERENCES [{fk['reference']['resource']}] "
                f"([{fk['reference']['fields'][0]}])" for fk in schema.get("foreignKeys", [])]
    return f"CREATE TABLE [{name}] (\n   " + ",\n   ".join(columns) + "\n)"


def write_database(root: Path, path: Path, read=None) -> None:
    """Write the package under `root` to a new SQLite file at `path`.

    `read(relative_path) -> bytes` reads a package file (default: from `root`, through the safe
    file layer), so a release can build its database from exactly the bytes it zips. Foreign keys
    are declared with each table and checked once every table is filled: a dangling reference is an
    error, and a reader who turns on PRAGMA foreign_keys gets them enforced."""
    read = read or (lambda relative: files.read_bytes(root, relative))
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    for resource, schema in _schemas(root, read):
        name = resource["name"]
        db.execute(_create(name, schema))
        marks = ", ".join("?" for _ in schema["fields"])
        db.conn.executemany(f"INSERT INTO [{name}] VALUES ({marks})", _rows(read(resource["path"]), schema))
        for fk in schema.get("foreignKeys", []):
            column = fk["fields"][0]
            db.execute(f"CREATE INDEX [idx_{name}_{column}] ON [{name}] ([{column}])")
    terms = vocabulary.read(root)  # the registry of the package written, whichever command writes it
    db.create_view(VIEW, f"select {VIEW_COLUMNS} from pledges where {terms.leads_sql()} "
                         f"order by {terms.lead_order_sql()}")
    dangling = db.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:  # (table, row number, table referred to, foreign key number)
        raise BuildFailed([Problem(f"data/{table}.csv", f"row {row}", f"a reference to {target} that points nowhere",
                                   f"a row of data/{target}.csv", hint="run make build")
                           for table, row, target, _ in dangling[:20]])
    db.table("claims").enable_fts(["quote"], create_triggers=True)
    db.conn.commit()
    db.vacuum()
    db.close()


# How each table reads in Datasette: the column a foreign key shows instead of an id, and the
# default sort. Facets are every column with an enum in its Table Schema, and the subject.
LABELS = {"sources": "name", "pledges": "label", "claims": "quote", "checks": "explanation", "totals": "label"}
SORTS = {"checks": "severity", "claims": "fact_id"}
QUERIES = {
    "headline_figures": {
        "title": "The headline pledges (the view headline_pledges), with what a reporter can print",
        "description": "Each pledge of an announcement event for its country (view headline_pledges): its headline "
                       "figure as its best source states it, its status, and the print advice.",
        "sql": "select subject, label, value, value_to, unit, qualifier, status, print_advice, n_stating, n_sources, "
               "n_independent, target_date, delivery from " + VIEW,
    },
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
    for resource, schema in _schemas(root, lambda relative: files.read_bytes(root, relative)):
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
        "extra_css_urls": ["/assets/datasette.css"], "extra_js_urls": ["/assets/datasette.js"],
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
