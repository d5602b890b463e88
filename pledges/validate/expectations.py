"""Run the Great Expectations suites in gx/expectations/ against the built tables.

Imported only by `make validate` (pledges.validate.run): Great Expectations takes seconds to import
and has no place on the `make build` path. The committed suites are loaded into an in-memory
context, so a run writes nothing into gx/ and leaves no generated ids to churn in git.

The committed suites hold what a Table Schema cannot say; what it can (required, unique, enums,
patterns, ranges) is added here from schemas/ at run time, so the schemas stay the one contract.
Relations between tables are passed as suite parameters ($PARAMETER in the suites): the ids a
claim may point to, the pledges that have claims. Two relations need a derived column, added
here before validation and named in the suites: days_from_announcement_to_target, and
rate_implied_by_amounts_error = |amount_usd_low / amount_eur_low - eur_usd_rate| (the high
bounds where the low one is open): the bounds are converted to the unit, the amounts rounded.

An expectation that raised an exception is reported as an error, not a failure: Great
Expectations marks it unsuccessful and hides the exception in exception_info.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pledges import files
from pledges.inputs.metadata import package_metadata
from pledges.tables.schemas import fields

SUITES_DIR = "gx/expectations"


@dataclass(frozen=True)
class Outcome:
    table: str
    check: str
    status: str  # passed, failed or error
    detail: str


def _derive(name: str, table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    if "target_date" in table and "announced" in table:
        gap = pd.to_datetime(table["target_date"]) - pd.to_datetime(table["announced"])
        table["days_from_announcement_to_target"] = gap.dt.days
    if name == "investments":
        usd = table["amount_usd_low"].fillna(table["amount_usd_high"])
        eur = table["amount_eur_low"].fillna(table["amount_eur_high"])
        table["rate_implied_by_amounts_error"] = (usd / eur - table["eur_usd_rate"]).abs()
    return table


def schema_expectations(schema: str) -> list[dict]:
    """The expectations a Table Schema states, one per rule of each field."""
    found = []
    for field in fields(schema):
        column, rules = field["name"], field.get("constraints", {})
        why = f"schemas/{schema}.json: {column}"
        if rules.get("required"):
            found.append(("expect_column_values_to_not_be_null", {"column": column}, why + " is required"))
        if rules.get("unique"):
            found.append(("expect_column_values_to_be_unique", {"column": column}, why + " is unique"))
        if "enum" in rules:
            found.append(("expect_column_values_to_be_in_set", {"column": column, "value_set": rules["enum"]},
                          why + " is one of its enum"))
        if "pattern" in rules:
            found.append(("expect_column_values_to_match_regex", {"column": column, "regex": rules["pattern"]},
                          why + " matches its pattern"))
        low = rules.get("minimum", rules.get("exclusiveMinimum"))
        if low is not None or "maximum" in rules:
            kwargs = {"column": column, "min_value": low, "max_value": rules.get("maximum"),
                      "strict_min": "exclusiveMinimum" in rules}
            found.append(("expect_column_values_to_be_between", kwargs, why + " is within its range"))
    return [{"type": kind, "kwargs": kwargs, "meta": {"why": why}} for kind, kwargs, why in found]


def _parameters(tables: dict[str, pd.DataFrame]) -> dict:
    claims = tables["claims"]
    return {"source_ids": sorted(tables["sources"]["source_id"]), "fact_ids": sorted(tables["pledges"]["fact_id"]),
            "claim_ids": sorted(claims["claim_id"]), "claimed_fact_ids": sorted(set(claims["fact_id"])),
            "claim_source_ids": sorted(set(claims["source_id"])), "n_sources": len(tables["sources"]),
            "check_ids": sorted(tables["checks"]["check_id"])}


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


def run(root: Path, tables: dict[str, pd.DataFrame]) -> list[Outcome]:
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("package")
    parameters = _parameters(tables)
    outcomes = []
    schemas = {r["name"]: r["schema"] for r in package_metadata(root)["resources"]}
    for file in files.listing(root, SUITES_DIR):
        if not file.endswith(".json"):
            continue
        name = file[:-len(".json")]
        committed = json.loads(files.read_text(root, f"{SUITES_DIR}/{file}"))
        committed["expectations"] = committed["expectations"] + schema_expectations(schemas[name])
        suite = context.suites.add(gx.ExpectationSuite(**committed))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all") \
            .get_batch(batch_parameters={"dataframe": _derive(name, tables[name])})
        validation = batch.validate(suite, expectation_parameters=parameters)
        for result in validation.results:
            error = _exception(result)
            unexpected = result.result.get("unexpected_count") if result.result else None
            if error:
                status, detail = "error", error
            elif result.success:
                status, detail = "passed", ""
            else:
                values = result.result.get("partial_unexpected_list") or result.result.get("observed_value")
                detail = f"{unexpected} unexpected: {values}" if unexpected is not None else f"observed {values}"
                status = "failed"
            outcomes.append(Outcome(name, _label(result.expectation_config), status, detail))
    return sorted(outcomes, key=lambda o: (o.table, o.check))
