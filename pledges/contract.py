"""Check rendered tables against their Table Schemas before they are published: the build's
last line of defence, in plain Python so that `make build` stays fast. The build checks the cells
it writes (rows_failures); package_failures checks CSV files.

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


def _cells(rows: list[list[str]], at: int, numbers) -> list[str]:
    return [rows[n][at] if at < len(rows[n]) else "" for n in numbers]


def table_failures(name: str, rows: list[list[str]], schema: dict, checked: set[int] | None = None,
                   kept: set[str] = frozenset()) -> tuple[list[str], dict[str, list[str]]]:
    """(Each rule the table breaks, one line each; the values of the columns named in `kept`).

    `rows` is the table as written, header first. The rules on one cell are checked on the rows
    at the positions in `checked` (1 = the first row after the header; all rows when None): a
    build checks only the rows it rendered, the others having passed the same rules, under the same
    code and schemas, in the build it took them from. The rules across rows (unique, primary key,
    and in package_failures the foreign keys) are checked on every row."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    if not rows or rows[0] != names:
        return [f"columns are {rows[0] if rows else 'none'}, expected {names}"], {}
    failures = []
    if len(rows) == 1 and name in NOT_EMPTY:
        failures.append("the table has a header and no rows")
    every = range(1, len(rows))
    numbers = every if checked is None else sorted(checked)
    for number in numbers:
        if len(rows[number]) != len(names):
            failures.append(f"line {number + 1}: {len(rows[number])} cells, expected {len(names)}")
    key = schema.get("primaryKey", [])
    for at, field in enumerate(fields):
        rules, column = field.get("constraints", {}), field["name"]
        if rules.get("unique"):
            seen: set[str] = set()
            for number, cell in zip(every, _cells(rows, at, every)):
                if cell in seen:
                    failures.append(f"line {number + 1}, column {column}: {cell!r} is not unique")
                seen.add(cell)
        values = _cells(rows, at, numbers)
        bad = {cell: why for cell in set(values) if (why := _broken(cell, field["type"], rules))}
        if bad:  # each distinct value is checked once; the lines are found only for a broken one
            failures += [f"line {number + 1}, column {column}: {bad[cell]}" for number, cell in zip(numbers, values)
                         if cell in bad]
    keys = list(zip(*(_cells(rows, names.index(k), every) for k in key)))
    if len(set(keys)) != len(keys):
        failures.append(f"primary key {', '.join(key)} is not unique")
    return failures, {n: _cells(rows, names.index(n), every) for n in kept if n in names}


def _keyed(schemas: dict[str, dict]) -> dict[str, set[str]]:
    """The columns each table's foreign keys name, on either side."""
    kept: dict[str, set[str]] = {name: set() for name in schemas}
    for name, schema in schemas.items():
        for key in schema.get("foreignKeys", []):
            kept[name].add(key["fields"][0])
            kept.setdefault(key["reference"]["resource"], set()).add(key["reference"]["fields"][0])
    return kept


def rows_failures(tables: dict[str, list[list[str]]], schemas: dict[str, dict],
                  checked: dict[str, set[int]] | None = None) -> dict[str, list[str]]:
    """Every rule each table (its rows, header first) breaks, foreign keys included; empty lists
    when none. `checked`, per table, as in table_failures."""
    failures, columns, kept = {}, {}, _keyed(schemas)
    for name, rows in tables.items():
        failures[name], columns[name] = table_failures(name, rows, schemas[name],
                                                       None if checked is None else checked[name], kept[name])
    for name, schema in schemas.items():
        for key in schema.get("foreignKeys", []):
            field, target = key["fields"][0], key["reference"]
            allowed = set(columns.get(target["resource"], {}).get(target["fields"][0], []))
            for number, cell in enumerate(columns.get(name, {}).get(field, []), start=2):
                if cell and cell not in allowed:
                    failures[name].append(f"line {number}, column {field}: {cell!r} is not a "
                                          f"{target['resource']}.{target['fields'][0]}")
    return failures


def package_failures(tables: dict[str, bytes], schemas: dict[str, dict]) -> dict[str, list[str]]:
    """Every rule each table (as CSV bytes) breaks: rows_failures on every row."""
    return rows_failures({name: list(csv.reader(io.StringIO(data.decode("utf-8")))) for name, data in tables.items()},
                         schemas)
