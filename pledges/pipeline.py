"""Build the data package: annotations + seeds -> data/*.csv + datapackage.json.

    python build.py [--root DIR]

Stages: load the annotations and seeds, check them, reconcile the claims about each pledge,
render every table, check the tables against their Table Schemas, then publish. What has not
changed since the last build comes from its cache (pledges.cache): the sources whose annotation
and seed are the same, and the rows whose inputs are the same (pledges.tables.owner_stamps).
Publishing writes into a staging directory and swaps it into place, so a build that fails at any
stage leaves the previous data/ and datapackage.json exactly as they were. Problems in the inputs
are printed with the file, line, claim and what was expected, and the build exits with status 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pledges import ROOT
from pledges import vocabulary
from pledges.cache import SourceCache
from pledges.checks.annotations import check
from pledges.checks.rates import EcbRates
from pledges.checks.reconcile import reconcile
from pledges.errors import BuildFailed, Problem, command
from pledges.inputs.annotations import FACTS_FILE, REGIONS_FILE, load, load_region_names
from pledges.inputs.metadata import PACKAGE_FILE, package_metadata
from pledges.inputs.seeds import SEEDS_DIR, unannotated
from pledges.lock import exclusive
from pledges.tables.contract import Table, rows_failures
from pledges.tables.datapackage import render
from pledges.tables.render import as_rows, collect, fact_tables, layouts, owner_stamps, source_tables
from pledges.tables.schemas import schemas_of


def validate_tables(schemas: dict[str, dict], tables: dict[str, Table]) -> None:
    """Every table against its Table Schema (pledges.tables.contract): the cells of the rows this build
    rendered, and the rules across rows on all. pandera's rules across columns run in
    `make validate`, which keeps its heavy imports off this path."""
    failures = rows_failures(tables, schemas)
    problems = [Problem(f"data/{name}.csv (not written)", f"table {name}", failure,
                        hint="a rule of the table's schema (datapackage.json names it); fix the annotations or the build")
                for name in schemas for failure in failures[name]]
    if problems:
        raise BuildFailed(problems)


def vocabulary_of(root: Path) -> vocabulary.Vocabulary:
    """The registry of the package under `root`, made current; its lists must be the schemas' enums."""
    try:
        words = vocabulary.use(root)
    except vocabulary.VocabularyError as error:
        where, _, what = str(error).partition(": ")
        raise BuildFailed([Problem(where, "", what, "the registry's layout (see its comments)")]) from None
    stale = vocabulary.sync_schemas(root, words, write=False)
    if stale:
        raise BuildFailed([Problem(path, "", f"enums differ from {vocabulary.FILE}",
                                   f"the lists of {vocabulary.FILE}", "other values",
                                   "run make build, which writes them (or: python -m pledges.vocabulary)")
                           for path in stale])
    return words


def publish(root: Path, files: dict[str, bytes]) -> None:
    """Write `files` into a staging directory, then swap data/ and datapackage.json into place.

    The staging directory gets a READY marker once every file is written. The swap is three
    renames; if it is interrupted, the package is put back in a consistent state now (on an
    exception or Ctrl-C) or by recover() at the start of the next build (if the process was killed).
    """
    previous = set()
    if (root / "datapackage.json").is_file():
        try:
            previous = {r["path"] for r in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
        except (ValueError, KeyError, TypeError):
            previous = set()
    strays = sorted(p.relative_to(root).as_posix() for p in (root / "data").iterdir()
                    if p.relative_to(root).as_posix() not in previous | set(files)) if (root / "data").is_dir() else []
    if strays:
        raise BuildFailed([Problem(s, "", "a file in data/ that the build did not write", "only the tables of the package",
                                   s, "move it out of data/: the build replaces data/ whole") for s in strays])
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        for relative, data in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / "READY").touch()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if (root / "data").exists():
            os.replace(root / "data", staging / "data.previous")
        os.replace(staging / "data", root / "data")
        os.replace(staging / "datapackage.json", root / "datapackage.json")
    finally:
        recover(root)


def recover(root: Path) -> list[str]:
    """Finish or undo a swap that was cut short, and remove what builds that died left behind."""
    done = []
    for staging in sorted(root.glob(".build-*")):
        if (staging / "READY").exists():
            if (staging / "data").exists():  # new data not yet in place: undo
                if (staging / "data.previous").exists() and not (root / "data").exists():
                    os.replace(staging / "data.previous", root / "data")
                    done.append("put the previous data/ back")
            elif (staging / "datapackage.json").exists():  # new data in place: finish
                os.replace(staging / "datapackage.json", root / "datapackage.json")
                done.append("completed the swap to the new data/ and datapackage.json")
        shutil.rmtree(staging, ignore_errors=True)
    return done


def check_and_keep(root: Path, facts, sources, cache: SourceCache, rates: EcbRates) -> dict[str, dict]:
    """Check the facts and sources the cache did not hold, and keep them in it once they pass;
    each source's coverage."""
    cached, facts_checked = cache.sources(), cache.facts() is not None
    coverage = check(facts, sources, {sid: e["coverage"] for sid, e in cached.items()}, rates, facts_checked)
    if not facts_checked:
        cache.keep_facts(facts)
    for source in sources:
        if source.source_id not in cached:  # its text stays in seeds/
            cache.keep_source(cache.key(root / source.file, root / SEEDS_DIR / source.seed),
                              {"source": replace(source, text=None), "coverage": coverage.get(source.source_id)})
    return coverage


class Stages:
    """Announces each stage ("==> check claims against their seeds"); where a list is given, also
    records (stage, seconds, peak resident memory in MB) for the benchmark."""

    def __init__(self, timings: list | None = None):
        self.timings = timings

    @contextmanager
    def __call__(self, name: str):
        print(f"==> {name}", flush=True)
        start = time.perf_counter()
        yield
        if self.timings is not None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.timings.append((name, time.perf_counter() - start, peak))


def run(root: Path, timings: list | None = None, verbose: bool = True) -> dict[str, bytes]:
    """Build the package under `root`; raises BuildFailed, having written nothing, on any problem.

    The cyclic garbage collector is paused meanwhile: a build makes millions of small objects that
    live until it ends, and the collector's passes over them were a third of a rebuild's time
    (10,000 sources: 9.5 s with it, 6.8 s without, the same peak memory; `make bench`)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(root, timings, verbose)
    finally:
        if paused:
            gc.enable()


def _run(root: Path, timings: list | None, verbose: bool) -> dict[str, bytes]:
    stage = Stages(timings)
    for action in recover(root):
        print(f"==> an earlier build was interrupted: {action}")
    with stage("load annotations and seeds"):
        vocabulary_of(root)
        problems: list[Problem] = []
        region_names = load_region_names(root, problems)
        if problems:
            raise BuildFailed(problems)
        # What every entry depends on: the facts, the region names, and the package's tables and schemas.
        shared = [root / FACTS_FILE, root / REGIONS_FILE, root / PACKAGE_FILE, root / vocabulary.FILE,
                  *sorted((root / "schemas").glob("*.json"))]
        cache = SourceCache(root, b"\0".join(p.read_bytes() if p.is_file() else b"" for p in shared))
        facts, sources = load(root, cache)
    for seed in unannotated(root, sources):
        print(f"    {SEEDS_DIR}/{seed} has no annotation yet and is left out; draft one with: "
              f"make suggest SEED={SEEDS_DIR}/{seed}")
    with stage("check claims against their seeds"):
        rates = EcbRates()
        coverage = check_and_keep(root, facts, sources, cache, rates)
    for source_id, counts in coverage.items() if verbose else ():
        print(f"    coverage {source_id}: {counts['figures']} figures, {counts['in claims']} in claims, "
              f"{counts['not claims']} listed as not claims")
    with stage("reconcile claims into pledges"):
        stamps = owner_stamps(facts, sources, cache.source_keys)
        held = {owner: cache.rows(owner, stamp) for owner, stamp in stamps.items()}
        changed = {owner.removeprefix("fact:") for owner, rows in held.items() if rows is None and owner.startswith("fact:")}
        pledges = reconcile(facts, sources, rates, only=changed)
    with stage("render tables"):
        meta = package_metadata(root)
        schemas = schemas_of(root, meta)
        layout, owned = layouts(schemas), {}
        for pledge in pledges:
            if pledge.fact.id in changed:
                owned[f"fact:{pledge.fact.id}"] = as_rows(fact_tables(pledge, facts, region_names), layout)
        for source in sources:
            if held[f"source:{source.source_id}"] is None:
                owned[f"source:{source.source_id}"] = as_rows(source_tables(source), layout)
        rendered = list(owned)
        owned.update((owner, rows) for owner, rows in held.items() if rows is not None)
        tables = collect(schemas, owned)
        files = render(meta, {name: lines for name, (_, lines) in tables.items()})
    with stage("check tables against their schemas"):
        validate_tables(schemas, {name: table for name, (table, _) in tables.items()})
        for owner in rendered:  # kept without their cells: they have passed
            cache.keep_rows(owner, stamps[owner], {name: [row[:2] for row in rows] for name, rows in owned[owner].items()})
    with stage("publish data/ and datapackage.json"):
        publish(root, files)
        cache.save()
    for name, (table, _) in tables.items():
        print(f"    data/{name}.csv: {len(table.keys)} rows")
    return files


@command("build")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="package root (default: this directory)")
    root = parser.parse_args(argv).root.resolve()
    try:
        with exclusive(root, "build"):
            run(root)
    except BuildFailed as failure:
        print(failure.report(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build interrupted; data/ and datapackage.json hold one complete package, old or new", file=sys.stderr)
        return 130
    print("==> wrote data/ and datapackage.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
