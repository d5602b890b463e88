"""Check rendered tables against their Table Schemas before they are published: the build's
last line of defence, in plain Python so that `make build` stays fast.

Every rule a Table Schema states is checked cell by cell: the type (integer, number, ISO date),
required, unique, enum, pattern, minimum, exclusive minimum and maximum, the primary key, and
every foreign key against the table it names. The rules across columns that a Table Schema cannot
state are pandera's (pledges.models), run by `make validate`, the tests and CI with Frictionless
and Great Expectations.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache

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
    return ""


def table_failures(name: str, data: bytes, schema: dict) -> tuple[list[str], dict[str, list[str]]]:
    """(Each rule the table breaks, one line each; its columns' values, for the foreign keys)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    if not rows or rows[0] != names:
        return [f"columns are {rows[0] if rows else 'none'}, expected {names}"], {}
    failures = []
    if len(rows) == 1 and name in NOT_EMPTY:
        failures.append("the table has a header and no rows")
    columns = {n: [row[i] if i < len(row) else "" for row in rows[1:]] for i, n in enumerate(names)}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(names):
            failures.append(f"line {number}: {len(row)} cells, expected {len(names)}")
    for field in fields:
        rules, column = field.get("constraints", {}), field["name"]
        values = columns[column]
        if rules.get("unique") and len(set(values)) != len(values):
            seen: set[str] = set()
            for number, cell in enumerate(values, start=2):
                if cell in seen:
                    failures.append(f"line {number}, column {column}: {cell!r} is not unique")
                seen.add(cell)
        bad = {cell: why for cell in set(values) if (why := _broken(cell, field["type"], rules))}
        if bad:  # each distinct value is checked once; the lines are found only for a broken one
            failures += [f"line {number}, column {column}: {bad[cell]}" for number, cell in enumerate(values, start=2)
                         if cell in bad]
    keys = list(zip(*(columns[k] for k in schema.get("primaryKey", []))))
    if len(set(keys)) != len(keys):
        failures.append(f"primary key {', '.join(schema['primaryKey'])} is not unique")
    return failures, columns


def package_failures(tables: dict[str, bytes], schemas: dict[str, dict]) -> dict[str, list[str]]:
    """Every rule each table breaks (empty lists when none), foreign keys included."""
    failures, columns = {}, {}
    for name, data in tables.items():
        failures[name], columns[name] = table_failures(name, data, schemas[name])
    for name, schema in schemas.items():
        for key in schema.get("foreignKeys", []):
            field, target = key["fields"][0], key["reference"]
            allowed = set(columns.get(target["resource"], {}).get(target["fields"][0], []))
            for number, cell in enumerate(columns.get(name, {}).get(field, []), start=2):
                if cell and cell not in allowed:
                    failures[name].append(f"line {number}, column {field}: {cell!r} is not a "
                                          f"{target['resource']}.{target['fields'][0]}")
    return failures
