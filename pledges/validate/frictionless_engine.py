"""Frictionless on the built package: every table against its Table Schema, one process a core.

Frictionless checks what the Table Schemas state (types, required, unique, enums, patterns,
ranges, primary and foreign keys) and the bytes and hash datapackage.json records. It checks every
cell in pure Python, and a foreign key by reading the whole table it points to, once for each
table that points to it (claims.csv once for each pledge table): at 10,000 sources that is about
25 s of one core, most of `make validate`. So the tables are validated in parallel, one worker
process a core, the costliest first (its bytes and those of the tables its foreign keys read),
each by `Resource.validate()` of one `Package` per worker: the checks and their results are those
of `frictionless validate datapackage.json`. The workers are spawned, not forked: `make validate`
runs the other engines in threads of its own meanwhile, and a fork would copy their locks.

An error Frictionless reports about the package's own metadata fails the validation, and the
tables are then not validated, as `frictionless validate` does.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from pledges import files
from pledges.inputs.metadata import DATAPACKAGE
from pledges.validate.report import Outcome

# Frictionless' error types, as the checks the report lists; any other error of a field is
# reported as "field <name>", any other as "table structure".
CHECKS = {"hash-count": "bytes and hash", "byte-count": "bytes and hash", "primary-key": "primary key",
          "foreign-key": "foreign keys"}


@cache
def _package(datapackage: str):
    """The package as Frictionless reads it, once in each process that validates its tables."""
    from frictionless import Package

    return Package(datapackage)


def table_errors(datapackage: str, name: str) -> list[tuple[str, str]]:
    """(check, message) of each error Frictionless finds in one table of the package."""
    found = []
    for error in _package(datapackage).get_resource(name).validate().tasks[0].errors:
        field = getattr(error, "field_name", None)
        check = CHECKS.get(error.type) or (f"field {field}" if field else "table structure")
        found.append((check, error.message))
    return found


def package_errors(datapackage: str) -> list[str]:
    """What Frictionless finds wrong with the package's own metadata."""
    from frictionless import FrictionlessException

    try:
        _package(datapackage).to_descriptor(validate=True)
    except FrictionlessException as exception:
        return [error.message for error in exception.to_errors()]
    return []


def outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    """Every check Frictionless makes of the package whose files were checked to be plain files
    inside it (pledges.validate.run.inside), with its result."""
    datapackage = str(root / DATAPACKAGE)
    wrong = package_errors(datapackage)
    found = [Outcome("package", "package descriptor", "failed" if wrong else "passed", "; ".join(wrong[:3]))]
    if wrong:
        return found
    schemas = {r["name"]: json.loads(files.read_text(root, r["schema"])) for r in descriptor["resources"]}
    size = {r["name"]: r.get("bytes", 0) for r in descriptor["resources"]}
    cost = {name: size[name] + sum(size.get(key["reference"]["resource"], 0) for key in schema.get("foreignKeys", []))
            for name, schema in schemas.items()}
    order = sorted(cost, key=lambda name: (-cost[name], name))
    workers = min(len(order), len(os.sched_getaffinity(0)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = dict(zip(order, pool.map(table_errors, [datapackage] * len(order), order)))
    for name, schema in schemas.items():
        errors: dict[str, list[str]] = {}
        for check, message in results[name]:
            errors.setdefault(check, []).append(message)
        checks = ["bytes and hash", "table structure", "primary key", "foreign keys"]
        checks += [f"field {f['name']}" for f in schema["fields"]]
        for check in checks:
            failed = errors.pop(check, [])
            found.append(Outcome(name, check, "failed" if failed else "passed", "; ".join(failed[:3])))
        for check, failed in sorted(errors.items()):  # anything not mapped to a check above
            found.append(Outcome(name, check, "failed", "; ".join(failed[:3])))
    return found
