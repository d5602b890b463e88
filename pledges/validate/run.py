"""Validate the built package with three engines and write one report a person can read offline.

    python -m pledges.validate.run [--root DIR]

Engines: Frictionless (the package against its Table Schemas: types, constraints, keys, bytes
and hashes; pledges/validate/frictionless_engine.py), pandera (the models in
pledges/validate/pandera_models.py, with rules across columns), Great Expectations (the suites in
gx/expectations/, with what a Table Schema cannot state: relations across tables, rules across
rows and columns; pledges/validate/expectations.py). They run at the same time, and the report
lists them in that order. Every check of every engine is listed with its result in
reports/validation.json and reports/validation.html (self-contained: no network needed to view
it). Both are committed and deterministic: no timestamps, everything sorted. Exit status 1 when
any check failed or raised an error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from pledges import ROOT, files, vocabulary
from pledges.errors import command
from pledges.inputs.metadata import DATAPACKAGE, read_datapackage
from pledges.lock import exclusive
from pledges.validate.report import ENGINES, Outcome, recover, summarise, write_reports


def frictionless_outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    from pledges.validate import frictionless_engine

    return frictionless_engine.outcomes(root, descriptor)


def pandera_outcomes(root: Path, descriptor: dict) -> list[Outcome]:
    from pledges.validate.pandera_models import checks, failures, models, read_table

    outcomes = []
    for name, model in models(root).items():
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

    return run(root, descriptor)


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    root = parser.parse_args(argv).root.resolve()
    if files.kind(root, DATAPACKAGE) is None:
        print(f"validation stopped: {DATAPACKAGE} does not exist in {root}; run make build first", file=sys.stderr)
        return 1
    with exclusive(root, "validation"):  # from reading the data to writing both reports: one state of the data
        for action in recover(root):
            print(f"==> an earlier validation was interrupted: {action}")
        return validate(root)


def _engine(engine: str, run: Callable[[Path, dict], list[Outcome]], root: Path, package: dict) -> list[Outcome]:
    """The outcomes of one engine; one that cannot run is an error of the report, not a crash."""
    start = time.perf_counter()
    try:
        outcomes = run(root, package)
    except Exception as error:
        outcomes = [Outcome("(all)", f"{engine} ran", "error", f"{type(error).__name__}: {error}")]
    print(f"==> {engine}: {time.perf_counter() - start:.1f} s", flush=True)
    return outcomes


def validate(root: Path) -> int:
    """The three engines at once: Frictionless' tables in worker processes (a thread here waits for
    them), pandera and then Great Expectations in this process meanwhile."""
    vocabulary.use(root)  # the engines read this package's schemas and vocabularies
    package = inside(root)
    runs = dict(zip(ENGINES, (frictionless_outcomes, pandera_outcomes, expectation_outcomes)))
    with ThreadPoolExecutor(1) as background:
        frictionless = background.submit(_engine, ENGINES[0], runs[ENGINES[0]], root, package)
        found = {engine: _engine(engine, runs[engine], root, package) for engine in ENGINES[1:]}
        found[ENGINES[0]] = frictionless.result()
    results = {engine: found[engine] for engine in ENGINES}
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
