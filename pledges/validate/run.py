"""Validate the built package with three engines and write one report a person can read offline.

    python -m pledges.validate.run [--root DIR]

Engines, in order: Frictionless (the package against its Table Schemas: types, constraints,
keys, bytes and hashes), pandera (the models in pledges/models.py, with rules across columns),
Great Expectations (the suites in gx/expectations/, with rules across tables). Every check of
every engine is listed with its result in reports/validation.json and reports/validation.html
(self-contained: no network needed to view it). Both are committed and deterministic: no
timestamps, everything sorted. Exit status 1 when any check failed or raised an error.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from pledges import ROOT, files
from pledges.errors import command
from pledges.inputs.metadata import DATAPACKAGE, read_datapackage
from pledges.lock import exclusive
from pledges.validate.expectations import Outcome
from pledges.validate.pandera_models import MODELS, checks, failures, read_table
from pledges.validate.report import ENGINES, recover, summarise, write_reports


def frictionless_outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    """Frictionless on the package, whose files were checked to be plain files inside it
    (`inside`): any error it reports about the package itself fails the validation too."""
    from frictionless import validate

    report = validate(str(root / DATAPACKAGE))
    errors: dict[tuple[str, str], list[str]] = {}
    for error in report.errors:  # about the package, not one of its tables
        errors.setdefault(("package", "package descriptor"), []).append(error.message)
    for task in report.tasks:
        for error in task.errors:
            field = getattr(error, "field_name", None)
            if error.type in ("hash-count", "byte-count"):
                check = "bytes and hash"
            elif error.type == "primary-key":
                check = "primary key"
            elif error.type == "foreign-key":
                check = "foreign keys"
            elif field:
                check = f"field {field}"
            else:
                check = "table structure"
            errors.setdefault((task.name, check), []).append(error.message)
    outcomes = [Outcome("package", "package descriptor", "failed" if ("package", "package descriptor") in errors
                        else "passed", "; ".join(errors.pop(("package", "package descriptor"), [])[:3]))]
    for resource in descriptor["resources"]:
        schema = json.loads(files.read_text(root, resource["schema"]))
        checks = ["bytes and hash", "table structure", "primary key", "foreign keys"]
        checks += [f"field {f['name']}" for f in schema["fields"]]
        for check in checks:
            found = errors.pop((resource["name"], check), [])
            outcomes.append(Outcome(resource["name"], check, "failed" if found else "passed", "; ".join(found[:3])))
    for (table, check), found in sorted(errors.items()):  # anything not mapped to a check above
        outcomes.append(Outcome(table, check, "failed", "; ".join(found[:3])))
    return outcomes


def pandera_outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    outcomes = []
    for name, model in MODELS.items():
        failed: dict[str, list[str]] = {}
        for failure in failures(name, read_table(files.read_bytes(root, f"data/{name}.csv"))):
            failed.setdefault(failure.check, []).append(failure.value or "the table")
        for check in checks(model):
            found = failed.pop(check, [])
            outcomes.append(Outcome(name, check, "failed" if found else "passed", ", ".join(sorted(set(found))[:5])))
        outcomes += [Outcome(name, check, "failed", ", ".join(found[:5])) for check, found in sorted(failed.items())]
    return outcomes


def expectation_outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    from pledges.validate.expectations import run

    tables = {name: pd.read_csv(io.BytesIO(files.read_bytes(root, f"data/{name}.csv")), keep_default_na=False,
                                na_values=[""]) for name in MODELS}
    return run(root, tables)


def inside(root: Path) -> dict:
    """datapackage.json, its paths checked to be the package's own (pledges.inputs.metadata), and
    every file it names a plain file inside the package: the engines, which open files by name,
    are given nothing else."""
    descriptor = read_datapackage(root)
    for resource in descriptor["resources"]:
        for relative in (resource["path"], resource["schema"]):
            with files.opened(root, relative):
                pass
    files.listing(root, "data")
    return descriptor






@command("validation")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the package with frictionless, pandera and Great "
                                                 "Expectations.")
    parser.add_argument("--root", type=Path, default=ROOT)
    root = parser.parse_args(argv).root.resolve()
    if files.kind(root, DATAPACKAGE) is None:
        print(f"validation stopped: {DATAPACKAGE} does not exist in {root}; run make build first", file=sys.stderr)
        return 1
    with exclusive(root, "validation"):  # from reading the data to writing both reports: one state of the data
        for action in recover(root):
            print(f"==> an earlier validation was interrupted: {action}")
        return validate(root)


def validate(root: Path) -> int:
    package = inside(root)
    results: dict[str, list[Outcome]] = {}
    for engine, run in zip(ENGINES, (frictionless_outcomes, pandera_outcomes, expectation_outcomes)):
        print(f"==> {engine}", flush=True)
        try:
            results[engine] = run(root, package)
        except Exception as error:  # an engine that cannot run is an error of the report, not a crash
            results[engine] = [Outcome("(all)", f"{engine} ran", "error", f"{type(error).__name__}: {error}")]
    checks = [{"engine": engine, **asdict(o)} for engine, outcomes in results.items() for o in outcomes]
    summary = summarise(results)
    report = {"package": package["name"], "version": package["version"],
              "valid": all(c["status"] == "passed" for c in checks), "summary": summary, "checks": checks}
    print(f"    {'engine':<20} {'table':<12} {'checks':>6} {'failed':>6} {'errors':>6}")
    for row in summary:
        print(f"    {row['engine']:<20} {row['table']:<12} {row['checks']:>6} {row['failed']:>6} {row['errors']:>6}")
    for c in checks:
        if c["status"] != "passed":
            print(f"    {c['status'].upper()}: {c['engine']} {c['table']} {c['check']}: {c['detail']}")
    write_reports(root, report)
    print(f"==> wrote reports/validation.json and reports/validation.html: "
          f"{'valid' if report['valid'] else 'INVALID'} ({len(checks)} checks)")
    return 0 if report["valid"] else 1




if __name__ == "__main__":
    sys.exit(main())
