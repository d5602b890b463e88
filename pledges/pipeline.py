"""Build the data package: annotations + seeds -> data/*.csv + datapackage.json.

    python build.py [--root DIR] [--no-cache]

Stages: load the annotations and seeds, check them, reconcile the claims about each pledge,
render every table, check the tables against their Table Schemas, then publish. What has not
changed since the last build comes from its cache (pledges.cache, consulted when the inputs are
loaded and saved when the package is published): the sources whose annotation and seed are the
same, and the rows whose inputs are the same (pledges.tables.render.owner_stamps). Every file is
read and written through the safe file layer (pledges.files). Publishing writes into a staging
folder and swaps it into place, so a build that fails at any stage leaves the previous data/ and
datapackage.json exactly as they were. Problems in the inputs
are printed with the file, line, claim and what was expected, and the build exits with status 1.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pledges import ROOT, files, vocabulary
from pledges.cache import NoCache, open_cache
from pledges.checks.annotations import check
from pledges.checks.corrections import check_corrections, correction_rows
from pledges.checks.independence import groups as copies
from pledges.checks.independence import signature
from pledges.checks.lineage import events, in_totals, links_of
from pledges.checks.rates import EcbRates
from pledges.checks.reconcile import reconcile
from pledges.errors import BuildFailed, Problem, command
from pledges.inputs.annotations import (
    CORRECTIONS_FILE,
    FACTS_FILE,
    REGIONS_FILE,
    load,
    load_corrections,
    load_region_names,
)
from pledges.inputs.metadata import PACKAGE_FILE, package_metadata, read_datapackage, version_date
from pledges.inputs.seeds import SEEDS_DIR, unannotated
from pledges.lock import exclusive
from pledges.tables.contract import Table, rows_failures
from pledges.tables.datapackage import render
from pledges.tables.render import (
    Context,
    as_rows,
    collect,
    event_rows,
    fact_tables,
    layouts,
    owner_stamps,
    source_name,
    source_tables,
    topic_rows,
)
from pledges.tables.schemas import schemas_of


def validate_tables(schemas: dict[str, dict], tables: dict[str, Table]) -> None:
    """Every table against its Table Schema (pledges.tables.contract): the cells of the rows this build
    rendered, and the rules across rows on all. pandera's rules across columns run in
    `make validate`, which keeps its heavy imports off this path."""
    failures = rows_failures(tables, schemas)
    problems = [Problem(f"data/{name}.csv (not written)", f"table {name}", failure,
                        hint="a rule of the table's schema (datapackage.json names it); fix the annotations or the "
                             "build")
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


ENTRIES = ["data", "datapackage.json"]  # what a build replaces, together


def publish(root: Path, outputs: dict[str, bytes]) -> None:
    """Swap data/ and datapackage.json into place together (pledges.files.Swap): a build cut short
    at any point leaves one whole package, old or new, and the next build finishes or undoes it.
    A file in data/ that no table of the package is refuses the build: data/ is replaced whole."""
    try:
        previous = {r["path"] for r in read_datapackage(root)["resources"]}
    except BuildFailed:
        previous = set()
    strays = []
    if files.kind(root, "data") == "a folder":
        known = previous | set(outputs)
        strays = [f"data/{name}" for name in files.listing(root, "data") if f"data/{name}" not in known]
    if strays:
        raise BuildFailed([Problem(s, "", "a file in data/ that the build did not write",
                                   "only the tables of the package",
                                   s, "move it out of data/: the build replaces data/ whole") for s in strays])
    swap = files.Swap(root, "build", ENTRIES)
    try:
        for relative, data in outputs.items():
            swap.write(relative, data)
    except BaseException:
        swap.abandon()
        raise
    swap.commit()


def recover(root: Path) -> list[str]:
    """Finish or undo a swap that was cut short, and remove what builds that died left behind."""
    return files.Swap.recover(root, ".build-", ENTRIES)


def check_and_keep(facts, sources, corrections, cache: NoCache,
                   rates: EcbRates) -> tuple[dict[str, dict], dict[str, tuple[int, ...]]]:
    """Check the facts and sources the cache did not hold (and every correction, each build), and
    keep them in the cache once they pass: each source's coverage and MinHash signature."""
    cached, facts_checked = cache.sources(), cache.facts() is not None
    problems = check_corrections(corrections, facts, sources)
    try:
        coverage = check(facts, sources, {sid: e["coverage"] for sid, e in cached.items()}, rates, facts_checked)
    except BuildFailed as failure:
        raise BuildFailed(failure.problems + problems) from None
    if problems:
        raise BuildFailed(problems)
    if not facts_checked:
        cache.keep_facts(facts)
    signatures = {}
    for source in sources:
        if source.source_id in cached:
            signatures[source.source_id] = cached[source.source_id]["signature"]
            continue
        signatures[source.source_id] = signature(source.text or "")
        cache.keep_source(cache.key(source.file, f"{SEEDS_DIR}/{source.seed}"),  # its text stays in seeds/
                          {"source": replace(source, text=None), "coverage": coverage.get(source.source_id),
                           "signature": signatures[source.source_id]})
    return coverage, signatures


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


def run(root: Path, timings: list | None = None, verbose: bool = True, cached: bool = True) -> dict[str, bytes]:
    """Build the package under `root`; raises BuildFailed, having written nothing, on any problem.

    The cyclic garbage collector is paused meanwhile: a build makes millions of small objects that
    live until it ends, and the collector's passes over them were a third of a rebuild's time
    (10,000 sources: 9.5 s with it, 6.8 s without, the same peak memory; `make bench`)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(root, timings, verbose, cached)
    finally:
        if paused:
            gc.enable()


def _run(root: Path, timings: list | None, verbose: bool, cached: bool) -> dict[str, bytes]:
    stage = Stages(timings)
    for action in recover(root):
        print(f"==> an earlier build was interrupted: {action}")
    with stage("load annotations and seeds"):
        vocabulary_of(root)
        meta = package_metadata(root)
        schemas = schemas_of(root, meta)
        problems: list[Problem] = []
        region_names = load_region_names(root, problems)
        corrections = load_corrections(root, problems)
        if problems:
            raise BuildFailed(problems)
        # What every entry depends on: the facts, the region names, the package's metadata, vocabulary and schemas.
        shared = [FACTS_FILE, REGIONS_FILE, CORRECTIONS_FILE, PACKAGE_FILE, vocabulary.FILE,
                  *(f"schemas/{spec['schema']}.json" for spec in meta["resources"])]
        cache = open_cache(root, shared, cached)
        facts, sources = load(root, cache)
    for note in cache.notes:
        print(f"    {note}")
    for note in unannotated(root, sources):
        print(f"    {note}")
    with stage("check claims against their seeds"):
        rates = EcbRates()
        coverage, signatures = check_and_keep(facts, sources, corrections, cache, rates)
        groups = copies(signatures)
    for source_id, counts in coverage.items() if verbose else ():
        print(f"    coverage {source_id}: {counts['figures']} figures, {counts['in claims']} in claims, "
              f"{counts['not claims']} listed as not claims")
    with stage("reconcile claims into pledges"):
        stamps = owner_stamps(facts, sources, cache.source_keys, groups)
        held = {owner: cache.rows(owner, stamp) for owner, stamp in stamps.items()}
        changed = {owner.removeprefix("fact:") for owner, rows in held.items()
                   if rows is None and owner.startswith("fact:")}
        pledges = reconcile(facts, sources, rates, only=changed, groups=groups)
    with stage("render tables"):
        layout, owned = layouts(schemas), {}
        context = Context(facts, region_names, version_date(meta),
                          {s.source_id: s.published or s.published_latest for s in sources},
                          {s.source_id: source_name(s) for s in sources}, in_totals(facts), links_of(facts))
        for pledge in pledges:
            if pledge.fact.id in changed:
                owned[f"fact:{pledge.fact.id}"] = as_rows(fact_tables(pledge, context), layout)
        for source in sources:
            if held[f"source:{source.source_id}"] is None:
                owned[f"source:{source.source_id}"] = as_rows(source_tables(source, groups[source.source_id]), layout)
        rendered = list(owned)
        owned.update((owner, rows) for owner, rows in held.items() if rows is not None)
        owned["corrections"] = as_rows({"corrections": correction_rows(corrections)}, layout)
        tables = collect(schemas, owned)
        # The events sum the topic tables as published: rendered each build, from their rows.
        owned["events"] = as_rows({"events": event_rows(events(topic_rows(tables)))}, layout)
        tables.update(collect(schemas, {"events": owned["events"]}, ["events"]))
        outputs = render(meta, {name: lines for name, (_, lines) in tables.items()})
    with stage("check tables against their schemas"):
        validate_tables(schemas, {name: table for name, (table, _) in tables.items()})
        for owner in rendered:  # kept without their cells: they have passed (events and corrections: every build)
            kept = {name: [row[:2] for row in rows] for name, rows in owned[owner].items()}
            cache.keep_rows(owner, stamps[owner], kept)
    with stage("publish data/ and datapackage.json"):
        publish(root, outputs)
        cache.save()
    for name, (table, _) in tables.items():
        print(f"    data/{name}.csv: {len(table.keys)} rows")
    return outputs


@command("build")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="package root (default: this directory)")
    parser.add_argument("--no-cache", action="store_true", help="build without the cache (and leave it as it is)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        with exclusive(root, "build"):
            run(root, cached=not args.no_cache)
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
