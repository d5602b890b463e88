"""The Table Schemas in schemas/ as the one source of the package's vocabularies.

Metrics, units, qualifiers, languages and the currencies money may be in are enums of the
published Table Schemas; the build's checks, the pandera models and the figure reader read them
from here, so that adding a unit or a metric is one edit to a schema.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pledges import ROOT

SCHEMAS_DIR = ROOT / "schemas"


@cache
def fields(table: str) -> tuple[dict, ...]:
    return tuple(json.loads((SCHEMAS_DIR / f"{table}.json").read_text(encoding="utf-8"))["fields"])


def field(table: str, name: str) -> dict:
    return next(f for f in fields(table) if f["name"] == name)


def enum(table: str, name: str) -> list[str]:
    return list(field(table, name)["constraints"]["enum"])


def currencies() -> tuple[str, ...]:
    """ISO 4217 codes money may be in: the units of the investments table."""
    return tuple(enum("investments", "unit"))


def schemas_of(root: Path, meta: dict) -> dict[str, dict]:
    """Each resource's Table Schema, by resource name, in the order of package.yaml (`meta`)."""
    return {spec["name"]: load_schema(root, spec["schema"]) for spec in meta["resources"]}


def load_schema(root: Path, name: str) -> dict:
    return json.loads((root / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
