"""The Table Schemas in schemas/: the published contract of every table, loaded and checked.

A schema is read through the safe file layer and refused, naming the file and the key, when it
uses a key, type or constraint that the build's own check (pledges.tables.contract) does not
implement: a rule the build cannot check must not be published as if it held. The vocabularies
their enums carry come from one registry (pledges.vocabulary).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pledges import ROOT, files, vocabulary
from pledges.errors import BuildFailed, Problem
from pledges.inputs.metadata import NAME
from pledges.tables.contract import CONSTRAINTS, FIELD_KEYS, FORMATS, SCHEMA_KEYS, TYPES

SCHEMAS_DIR = ROOT / "schemas"


def unsupported(schema: dict) -> list[tuple[str, str]]:
    """(where, what) for every key, type, format or constraint of `schema` the build does not check."""
    found = [("schema", f"key {key!r}") for key in schema if key not in SCHEMA_KEYS]
    for field in schema.get("fields", []):
        name = field.get("name", "?")
        found += [(f"field {name}", f"key {key!r}") for key in field if key not in FIELD_KEYS]
        if field.get("type") not in TYPES:
            found.append((f"field {name}", f"type {field.get('type')!r}"))
        if "format" in field and field["format"] not in FORMATS:
            found.append((f"field {name}", f"format {field['format']!r}"))
        found += [(f"field {name}", f"constraint {key!r}") for key in field.get("constraints", {})
                  if key not in CONSTRAINTS]
    for key in schema.get("foreignKeys", []):
        if len(key.get("fields", [])) != 1 or set(key) - {"fields", "reference"}:
            found.append(("foreignKeys", f"a key of {len(key.get('fields', []))} fields"))
    if len(schema.get("primaryKey", [])) < 1:
        found.append(("primaryKey", "missing"))
    return found


def load_schema(root: Path, name: str) -> dict:
    """schemas/<name>.json, refused when it asks for a rule the build does not check."""
    where = f"schemas/{name}.json"
    if not NAME.fullmatch(name):
        raise BuildFailed([Problem("package.yaml", f"schema {name[:40]!r}", "not a plain schema name",
                                   "lower-case letters, digits, _ and -")])
    try:
        schema = json.loads(files.read_text(root, where))
    except FileNotFoundError:
        raise BuildFailed([Problem(where, "", "schema does not exist", "a Table Schema for the resource")]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BuildFailed([Problem(where, "", "not valid JSON", "a Table Schema", str(error)[:120])]) from None
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise BuildFailed([Problem(where, "", "not a Table Schema", "an object with a list of fields")])
    problems = [Problem(where, part, f"{what} is not one the build checks",
                        f"types {', '.join(sorted(TYPES))}; constraints {', '.join(sorted(CONSTRAINTS))}",
                        hint="remove it, or implement it in pledges/tables/contract.py (and its tests) first")
                for part, what in unsupported(schema)]
    if problems:
        raise BuildFailed(problems)
    return schema


def schemas_of(root: Path, meta: dict) -> dict[str, dict]:
    """Each resource's Table Schema, by resource name, in the order of package.yaml (`meta`)."""
    return {spec["name"]: load_schema(root, spec["schema"]) for spec in meta["resources"]}


def fields(table: str) -> tuple[dict, ...]:
    """The fields of schemas/<table>.json of the package being worked on (vocabulary.use), for the
    validation engines."""
    return _fields(vocabulary.package_root(), table)


@cache
def _fields(root: Path, table: str) -> tuple[dict, ...]:
    return tuple(load_schema(root, table)["fields"])


def field(table: str, name: str) -> dict:
    return next(f for f in fields(table) if f["name"] == name)


def enum(table: str, name: str) -> list[str]:
    return list(field(table, name)["constraints"]["enum"])


def currencies() -> tuple[str, ...]:
    """ISO 4217 codes money may be in (the registry's)."""
    return vocabulary.current().currencies
