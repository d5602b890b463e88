"""Check rendered tables against their Table Schemas before they are published: the build's
last line of defence, in plain Python so that `make build` stays fast. The build checks the cells
it writes (rows_failures); package_failures checks CSV files.

Every rule a Table Schema states is checked: the types and constraint keys listed below (TYPES,
CONSTRAINTS), cell by cell, the primary key, and every foreign key against the table it names.
A schema that uses any other key or type is refused when it is loaded (pledges.tables.schemas),
never passed unchecked. The rules across columns that a Table Schema cannot
state are pandera's (pledges.validate.pandera_models), run by `make validate`, the tests and CI with Frictionless
and Great Expectations.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

# What the build's check implements: a Table Schema that uses anything else is refused where it is
# loaded (pledges.tables.schemas), so that no rule can pass unchecked.
SCHEMA_KEYS = frozenset({"$schema", "fields", "primaryKey", "foreignKeys"})
FIELD_KEYS = frozenset({"name", "type", "description", "constraints", "format"})
FORMATS = frozenset({"default"})
TYPES = frozenset({"string", "number", "integer", "date", "boolean"})
CONSTRAINTS = frozenset({"required", "unique", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
                         "exclusiveMaximum", "minLength", "maxLength"})
BOOLEANS = {"true": True, "false": False}  # as the build writes them; Table Schema's default trueValues too

INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@cache
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _value(cell: str, kind: str):
    """The cell as its type, or None when it is not one."""
    if kind == "integer":
        return int(cell) if INTEGER.fullmatch(cell) else None
    if kind == "number":
        return float(cell) if NUMBER.fullmatch(cell) else None
    if kind == "date":
        try:
            return date.fromisoformat(cell) if DATE.fullmatch(cell) else None
        except ValueError:
            return None
    if kind == "boolean":
        return BOOLEANS.get(cell)
    return cell


# The tables a package cannot be without; a topic table, the totals or the checks may be empty.
NOT_EMPTY = ("sources", "claims", "pledges")


def _broken(cell: str, kind: str, rules: dict) -> str:
    """What is wrong with one cell under its field's rules, or "" when nothing is."""
    if cell == "":
        return "required, found empty" if rules.get("required") else ""
    value = _value(cell, kind)
    if value is None:
        return f"not {kind}: {cell!r}"
    if "enum" in rules and cell not in rules["enum"]:
        return f"{cell!r} is not one of {', '.join(rules['enum'])}"
    if "pattern" in rules and not _pattern(rules["pattern"]).fullmatch(cell):
        return f"{cell!r} does not match {rules['pattern']}"
    if "minimum" in rules and value < rules["minimum"]:
        return f"{cell} is below the minimum {rules['minimum']}"
    if "exclusiveMinimum" in rules and value <= rules["exclusiveMinimum"]:
        return f"{cell} is not above {rules['exclusiveMinimum']}"
    if "maximum" in rules and value > rules["maximum"]:
        return f"{cell} is above the maximum {rules['maximum']}"
    if "exclusiveMaximum" in rules and value >= rules["exclusiveMaximum"]:
        return f"{cell} is not below {rules['exclusiveMaximum']}"
    if "minLength" in rules and len(cell) < rules["minLength"]:
        return f"{cell!r} is shorter than {rules['minLength']} characters"
    if "maxLength" in rules and len(cell) > rules["maxLength"]:
        return f"{cell[:40]!r}... is longer than {rules['maxLength']} characters"
    return ""


@dataclass
class Table:
    """A table as the contract reads it: its header; for every row, its cells in the columns the
    rules across rows read (across(), in that order); and all the cells of the rows whose cells are
    to be checked, by position (1 = the first row after the header)."""

    header: list[str]
    keys: list[tuple[str, ...]]
    cells: dict[int, list[str]]


def across(schemas: dict[str, dict]) -> dict[str, list[str]]:
    """The columns that each table's rules across rows read: its primary key first, then its
    unique columns and the columns on either side of a foreign key."""
    named: dict[str, list[str]] = {name: list(schema.get("primaryKey", [])) for name, schema in schemas.items()}
    for name, schema in schemas.items():
        named[name] += [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
        for key in schema.get("foreignKeys", []):
            named[name].append(key["fields"][0])
            named.setdefault(key["reference"]["resource"], []).append(key["reference"]["fields"][0])
    return {name: list(dict.fromkeys(columns)) for name, columns in named.items()}


def table_failures(name: str, table: Table, schema: dict, kept: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """(Each rule the table breaks, one line each; the values of the columns `kept`, which are
    across()'s for this table).

    The rules on one cell are checked on the rows whose cells the table holds: a build holds those
    of the rows it rendered, the others having passed the same rules, under the same code and
    schemas, in the build it took them from. The rules across rows (unique, primary key, and in
    rows_failures the foreign keys) are checked on every row."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    if table.header != names:
        return [f"columns are {table.header or 'none'}, expected {names}"], {}
    failures = []
    if not table.keys and name in NOT_EMPTY:
        failures.append("the table has a header and no rows")
    numbers = sorted(table.cells)
    rows = [table.cells[number] for number in numbers]
    for number, row in zip(numbers, rows):
        if len(row) != len(names):
            failures.append(f"line {number + 1}: {len(row)} cells, expected {len(names)}")
    if any(len(row) < len(names) for row in rows):  # a missing cell is read as empty
        rows = [[*row, *[""] * (len(names) - len(row))] for row in rows]
    columns = {column: [row[i] for row in table.keys] for i, column in enumerate(kept)}
    for at, field in enumerate(fields):
        rules, column = field.get("constraints", {}), field["name"]
        if rules.get("unique") and len(set(columns[column])) != len(columns[column]):
            seen: set[str] = set()
            for number, cell in enumerate(columns[column], start=1):
                if cell in seen:
                    failures.append(f"line {number + 1}, column {column}: {cell!r} is not unique")
                seen.add(cell)
        values = [row[at] for row in rows]
        bad = {cell: why for cell in set(values) if (why := _broken(cell, field["type"], rules))}
        if bad:  # each distinct value is checked once; the lines are found only for a broken one
            failures += [f"line {number + 1}, column {column}: {bad[cell]}" for number, cell in zip(numbers, values)
                         if cell in bad]
    key = schema.get("primaryKey", [])
    width = len(key)
    if len({row[:width] for row in table.keys}) != len(table.keys):
        failures.append(f"primary key {', '.join(key)} is not unique")
    return failures, columns


def rows_failures(tables: dict[str, Table], schemas: dict[str, dict]) -> dict[str, list[str]]:
    """Every rule each table breaks, foreign keys included; empty lists when none."""
    failures, columns, kept = {}, {}, across(schemas)
    for name, table in tables.items():
        failures[name], columns[name] = table_failures(name, table, schemas[name], kept[name])
    for name, schema in schemas.items():
        for key in schema.get("foreignKeys", []):
            field, target = key["fields"][0], key["reference"]
            allowed = set(columns.get(target["resource"], {}).get(target["fields"][0], []))
            for number, cell in enumerate(columns.get(name, {}).get(field, []), start=2):
                if cell and cell not in allowed:
                    failures[name].append(f"line {number}, column {field}: {cell!r} is not a "
                                          f"{target['resource']}.{target['fields'][0]}")
    return failures


def parse(data: bytes) -> list[list[str]]:
    """A CSV file's rows, its header first."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def read(data: bytes | list[list[str]], kept: list[str]) -> Table:
    """A CSV file (its bytes, or its rows as parse() returns them) as a Table, every row's cells to
    be checked."""
    rows = parse(data) if isinstance(data, bytes) else data
    header = rows[0] if rows else []
    at = [header.index(n) if n in header else len(header) for n in kept]
    keys = [tuple(row[i] if i < len(row) else "" for i in at) for row in rows[1:]]
    return Table(header, keys, dict(enumerate(rows[1:], start=1)))


def package_failures(tables: dict[str, bytes] | dict[str, list[list[str]]],
                     schemas: dict[str, dict]) -> dict[str, list[str]]:
    """Every rule each table (as CSV bytes, or rows as parse() returns them) breaks."""
    kept = across(schemas)
    return rows_failures({name: read(data, kept[name]) for name, data in tables.items()}, schemas)
