"""Run the Great Expectations suites in gx/expectations/ against the built tables.

Great Expectations holds only what a Table Schema cannot state: relations across tables (as
derived columns, or values of other tables passed as suite parameters: $PARAMETER in the suites),
rules across rows and columns, and rules on derived columns. What a Table Schema states (types, required, unique, enums,
patterns, ranges, primary and foreign keys) is Frictionless' to check and is never repeated here,
so the time this engine takes grows with the data, not with the columns of the schemas.

A suite applies to every table whose Table Schema is listed in the suite's meta.schemas: the
topic tables, which share schemas/pledges.json, share its suite, and a new one gets it without an
edit. Imported only by `make validate`: Great Expectations takes seconds to import and has no
place on the `make build` path. The suites are loaded into an in-memory context, so a run writes
nothing into gx/ and leaves no generated ids to churn in git.

A suite may name a derived column, computed here by the function of that name (DERIVED): how
many claims name a source or a pledge (n_claims), days_from_announcement_to_target,
rate_implied_by_amounts_error.

An expectation that raised an exception is reported as an error, not a failure: Great
Expectations marks it unsuccessful and hides the exception in exception_info.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pledges import files
from pledges.validate.report import Outcome

SUITES_DIR = "gx/expectations"


@dataclass(frozen=True)
class Table:
    """A table as a derived column sees it: its rows, its primary key, and a reader of the others."""
    rows: pd.DataFrame
    key: str
    read: Callable[[str], pd.DataFrame]


def days_from_announcement_to_target(table: Table) -> pd.Series:
    return (table.rows["target_date"] - table.rows["announced"]).dt.days


def rate_implied_by_amounts_error(table: Table) -> pd.Series:
    """|amount_usd_low / amount_eur_low - eur_usd_rate|, the high bounds where the low one is open."""
    usd = table.rows["amount_usd_low"].fillna(table.rows["amount_usd_high"])
    eur = table.rows["amount_eur_low"].fillna(table.rows["amount_eur_high"])
    return (usd / eur - table.rows["eur_usd_rate"]).abs()


def n_claims(table: Table) -> pd.Series:
    """How many rows of claims.csv name this row's primary key (source_id, fact_id) in the column of
    that name: a relation to another table as a number. Great Expectations is not given the ids of
    the other table instead (expect_column_values_to_be_in_set with a suite parameter): it copies
    such a list hundreds of times per expectation (28 s for 19 expectations at 10,000 sources)."""
    return table.rows[table.key].map(table.read("claims")[table.key].value_counts()).fillna(0).astype(int)


# The derived columns the suites may name, each computed by the function of that name.
DERIVED: dict[str, Callable[[Table], pd.Series]] = {
    f.__name__: f for f in (days_from_announcement_to_target, rate_implied_by_amounts_error, n_claims)}
# The suite parameters: a value of the other tables that a rule needs.
PARAMETERS: dict[str, Callable[[Callable[[str], pd.DataFrame]], Any]] = {
    "n_sources": lambda read: len(read("sources")),
}


def typed(data: bytes, schema: dict) -> pd.DataFrame:
    """A CSV of the package read as text, its numbers and dates converted as its Table Schema types
    them. A cell that is not of its type is missing here (Frictionless and pandera report it); the
    rest of its column keeps its type (pandas, left to guess, reads a large file in chunks and
    guesses each chunk's type: 23 in one, "23" in the next, and the two differ)."""
    rows = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for field in schema["fields"]:
        name = field["name"]
        if name in rows and field["type"] in ("integer", "number"):
            rows[name] = pd.to_numeric(rows[name], errors="coerce")
        elif name in rows and field["type"] == "date":
            rows[name] = pd.to_datetime(rows[name], errors="coerce", format="%Y-%m-%d")
    return rows


def _columns(suite: dict) -> set[str]:
    """The columns a suite's expectations name."""
    names = set()
    for expectation in suite["expectations"]:
        kwargs = expectation.get("kwargs", {})
        names |= {kwargs.get(k) for k in ("column", "column_A", "column_B")} | set(kwargs.get("column_list") or [])
    return names - {None}


def _derive(table: Table, wanted: set[str]) -> pd.DataFrame:
    """The table's rows with the derived columns of `wanted`, those it has the columns for (the
    others stay missing, and the expectations that name them report an error that says so)."""
    rows = table.rows.copy()
    for name in sorted(wanted & set(DERIVED)):
        with suppress(KeyError):
            rows[name] = DERIVED[name](table)
    return rows


# What a committed suite may hold: rules over the columns of one table, with numbers or suite
# parameters as bounds. Any other expectation (a JSON schema, which can reference files and web
# addresses; a regular expression, which can take exponential time) or argument (a row condition,
# which pandas evaluates as an expression) is refused, named in the report as an error: a suite is
# input that a commit can change.
TYPES = frozenset({"expect_column_values_to_be_between", "expect_column_pair_values_a_to_be_greater_than_b",
                   "expect_compound_columns_to_be_unique"})
ARGUMENTS = frozenset({"column", "column_A", "column_B", "column_list", "min_value", "max_value", "strict_min",
                       "strict_max", "or_equal", "mostly", "ignore_row_if"})


def refused(suite: dict) -> list[str]:
    """What in a suite make validate does not run, one line each (empty when it runs it all)."""
    problems = []
    for number, expectation in enumerate(suite.get("expectations", []), start=1):
        kind = expectation.get("type")
        kwargs = expectation.get("kwargs", {})
        if kind not in TYPES:
            problems.append(f"expectation {number}: type {kind!r} is not one make validate runs "
                            f"({', '.join(sorted(TYPES))})")
        elif not isinstance(kwargs, dict) or set(kwargs) - ARGUMENTS:
            extra = sorted(set(kwargs) - ARGUMENTS) if isinstance(kwargs, dict) else ["(not a mapping)"]
            problems.append(f"expectation {number} ({kind}): arguments {extra} are not ones make validate accepts")
    return problems


def suites(root: Path) -> list[dict]:
    """The committed suites, each with meta.schemas: the Table Schemas of the tables it applies to."""
    return [json.loads(files.read_text(root, f"{SUITES_DIR}/{name}"))
            for name in files.listing(root, SUITES_DIR) if name.endswith(".json")]


def _label(config) -> str:
    kwargs = config.kwargs
    target = kwargs.get("column") or ", ".join(kwargs.get("column_list") or []) or \
        " > ".join(c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c)
    return f"{config.type}({target})" if target else config.type


def _exception(result) -> str:
    """The exception an expectation raised, wherever Great Expectations put it; "" when none."""
    info = result.exception_info or {}
    entries = [info] + [v for v in info.values() if isinstance(v, dict)]
    for entry in entries:
        if entry.get("raised_exception") or entry.get("exception_message"):
            return str(entry.get("exception_message") or "exception raised").splitlines()[0]
    return ""


def _outcome(table: str, result) -> Outcome:
    label = _label(result.expectation_config)
    error = _exception(result)
    if error:
        return Outcome(table, label, "error", error)
    if result.success:
        return Outcome(table, label, "passed", "")
    unexpected = result.result.get("unexpected_count")
    values = result.result.get("partial_unexpected_list") or result.result.get("observed_value")
    detail = f"{unexpected} unexpected: {values}" if unexpected is not None else f"observed {values}"
    return Outcome(table, label, "failed", detail)


def run(root: Path, descriptor: dict) -> list[Outcome]:
    """Every expectation of every suite on every table it applies to; a suite whose schemas no table
    of the package uses is an error (a renamed schema would otherwise silently skip its rules)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    read_tables: dict[str, pd.DataFrame] = {}
    schemas = {r["name"]: json.loads(files.read_text(root, r["schema"])) for r in descriptor["resources"]}

    def read(name: str) -> pd.DataFrame:
        if name not in read_tables:
            read_tables[name] = typed(files.read_bytes(root, f"data/{name}.csv"), schemas[name])
        return read_tables[name]

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("package")
    parameters = {name: find(read) for name, find in PARAMETERS.items()}
    outcomes = []
    for committed in suites(root):
        applies_to = committed.get("meta", {}).get("schemas", [])
        tables = [r["name"] for r in descriptor["resources"] if r["schema"] in applies_to]
        if not tables:
            outcomes.append(Outcome("(all)", f"suite {committed['name']}", "error",
                                    f"meta.schemas {applies_to} names no Table Schema of the package"))
            continue
        problems = refused(committed)
        if problems:
            outcomes += [Outcome("(all)", f"suite {committed.get('name')}", "error", p) for p in problems]
            continue
        suite = context.suites.add(gx.ExpectationSuite(**committed))
        if len(suite.expectations) != len(committed["expectations"]):  # one Great Expectations dropped
            outcomes.append(Outcome("(all)", f"suite {committed['name']}", "error",
                                    f"{len(committed['expectations']) - len(suite.expectations)} expectations "
                                    "could not be read"))
        for name in tables:
            rows = _derive(Table(read(name), schemas[name]["primaryKey"][0], read), _columns(committed))
            batch = source.add_dataframe_asset(f"{name}-{suite.name}").add_batch_definition_whole_dataframe("all") \
                .get_batch(batch_parameters={"dataframe": rows})
            validation = batch.validate(suite, expectation_parameters=parameters)
            outcomes += [_outcome(name, result) for result in validation.results]
    return sorted(outcomes, key=lambda o: (o.table, o.check))
