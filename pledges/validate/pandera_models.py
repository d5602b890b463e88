"""pandera models of every table: the Table Schema's rules, plus rules across columns.

The per-column rules (names, order, types, required, unique, enums, patterns, ranges) are built
from the Table Schemas in schemas/, the one contract: adding a column, a unit or a metric is one
edit to a schema. What a Table Schema cannot say lives only here, as rules across columns:
amount_usd is amount_eur at the recorded rate, a quote's offsets span its length, a status fits
the number of sources, a topic table holds only its metrics, bounds hold the value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pledges import vocabulary
from pledges.inputs.metadata import package_metadata
from pledges.tables.contract import BOOLEANS
from pledges.tables.schemas import fields

DTYPES = {"string": str, "number": float, "integer": "Int64", "date": "datetime64[ns]", "boolean": "boolean"}


def column(field: dict) -> pa.Column:
    """A Table Schema field as a pandera column: its type and its constraints."""
    rules = field.get("constraints", {})
    checks = []
    if "enum" in rules:
        checks.append(pa.Check.isin(rules["enum"]))
    if "pattern" in rules:
        checks.append(pa.Check.str_matches(rules["pattern"]))
    if "exclusiveMinimum" in rules:
        checks.append(pa.Check.gt(rules["exclusiveMinimum"]))
    if "minimum" in rules:
        checks.append(pa.Check.ge(rules["minimum"]))
    if "maximum" in rules:
        checks.append(pa.Check.le(rules["maximum"]))
    if "minLength" in rules:
        checks.append(pa.Check.str_length(min_value=rules["minLength"]))
    return pa.Column(DTYPES[field["type"]], checks, nullable=not rules.get("required", False),
                     unique=rules.get("unique", False), name=field["name"])


# ------------------------------------------------------------------------- rules across columns

def has_rows(df: pd.DataFrame) -> bool:
    """Sources, claims and pledges with a header and no rows are an error (Frictionless alone would
    pass them); a topic table, the totals or the checks may be empty."""
    return len(df) > 0


def unknown_dates_have_no_date(df):
    return (df["date_basis"] == "unknown") == df["published_earliest"].isna()


def published_lies_in_its_range(df):
    inside = (df["published_earliest"] <= df["published_latest"])
    day = df["published"].isna() | ((df["published"] == df["published_earliest"]) &
                                    (df["published"] == df["published_latest"]))
    return (df["published_earliest"].isna() | inside) & day


def offsets_span_the_quote(df):
    return df["quote_end"] - df["quote_start"] == df["quote"].str.len()


def claim_id_starts_with_source_id(df):
    return pd.Series([c.startswith(s + "-") for c, s in zip(df["claim_id"], df["source_id"])], index=df.index)


def money_is_in_a_currency(df):
    return (df["metric"] == "investment") == df["unit"].isin(list(vocabulary.current().currencies))


def _top(df):
    """The top of a figure: value_to for a range, else value (a cell of the wrong type is left to
    the column's dtype check, read here as missing)."""
    return pd.to_numeric(df["value_to"], errors="coerce").fillna(pd.to_numeric(df["value"], errors="coerce"))


def stated_interval_holds_the_figure(df):
    """stated_low <= value and value (value_to for a range) <= stated_high, open ends aside: the
    words' own interval holds their figure (a report of progress may have none)."""
    return df["value"].isna() | ((df["stated_low"].isna() | (df["stated_low"] <= df["value"])) &
                                 (df["stated_high"].isna() | (_top(df) <= df["stated_high"])))


def readings_interval_holds_the_figure(df):
    """readings_low <= value <= value_to or value < readings_high: the digits' interval holds them."""
    return df["value"].isna() | ((df["readings_low"] <= df["value"]) & (_top(df) <= df["readings_high"]))


def unhedged_figures_are_stated_exactly(df):
    exact = (df["qualifier"] == "unhedged") & df["value"].notna()
    return ~exact | ((df["stated_low"] == df["value"]) & (df["stated_high"] == _top(df)))


def id_starts_with_kind(df):
    return pd.Series([i.startswith(k + "/") for i, k in zip(df["check_id"], df["kind"])], index=df.index)


def about_a_pledge_or_a_source(df):
    return df["fact_id"].notna() | df["source_id"].notna()


def severity_follows_verdict(df):
    words = vocabulary.current()
    return df["severity"] == df["verdict"].map({v: words.severity(v) for v in words.names("verdicts")})


def n_sources_counts_source_ids(df):
    return df["source_ids"].str.split(";").str.len() == df["n_sources"]


def n_stating_is_at_most_n_sources(df):
    return df["n_stating"] <= df["n_sources"]


def status_fits_n_sources(df):
    """single source when the sources form one independent group (near-copies count once)."""
    single = df["n_independent"] == 1
    return ((df["status"] == "single source") <= single) & ((df["status"] == "corroborated") <= ~single)


def disagreements_point_to_their_findings(df):
    return ~df["status"].isin(["conflicting", "hedges differ"]) | df["check_ids"].notna()


def headline_claim_is_one_of_its_claims(df):
    return pd.Series([p in c.split(";") for p, c in zip(df["headline_claim_id"], df["claim_ids"])], index=df.index)


def target_after_announcement(df):
    return df["target_date"].isna() | df["announced"].isna() | (df["target_date"] > df["announced"])


def statements_are_not_announced(df):
    return (df["kind"] != "statement") | df["announced"].isna()


def unknown_announcements_have_no_date(df):
    return (df["announced_date_basis"] == "unknown") == df["announced"].isna()


def country_name_goes_with_country(df):
    return df["country"].isna() == df["country_name"].isna()


def amount_usd_is_amount_eur_at_the_rate(df):
    """Amounts not stated are the stated one converted exactly, to the unit: so the two agree at
    the rate to within the rounding of each to the unit."""
    both = df["amount_eur"].notna() & df["amount_usd"].notna()
    gap = (df["amount_eur"] * df["eur_usd_rate"] - df["amount_usd"]).abs()
    return ~both | (gap <= 1 + df["eur_usd_rate"])


def value_is_the_amount_in_its_unit(df):
    stated = df["amount_eur"].where(df["unit"] == "EUR", df["amount_usd"].where(df["unit"] == "USD", df["value"]))
    return df["value_to"].notna() | (df["value"] == stated)


def ranges_have_no_point_amount(df):
    return df["value_to"].notna() == (df["amount_eur"].isna() & df["amount_usd"].isna())


def rate_is_from_the_announcement_week(df):
    gap = df["announced"] - df["rate_date"]
    return (gap >= pd.Timedelta(0)) & (gap <= pd.Timedelta(days=7))


def amount_bounds_hold_the_amount(df):
    """The stated bounds, converted, hold the amount (to within the rounding to the unit)."""
    amount = df["amount_eur"]
    return amount.isna() | ((df["amount_eur_low"].isna() | (df["amount_eur_low"] <= amount + 1)) &
                            (df["amount_eur_high"].isna() | (amount - 1 <= df["amount_eur_high"])))


def a_figure_unless_a_report_of_progress(df):
    return df["value"].notna() | df["progress"].notna()


def a_copy_is_of_another_source(df):
    return df["copy_of"].isna() | (df["copy_of"] < df["source_id"])


def independent_groups_are_at_most_the_sources(df):
    return df["n_independent"] <= df["n_sources"]


def only_pledges_count_in_totals(df):
    return (df["kind"] == "pledge") | (df["in_totals"] == False)  # noqa: E712 - a boolean column


def a_reported_delivery_names_its_claim(df):
    reported = df["delivery"] == "reported"
    return (reported == df["delivery_claim_id"].notna()) & (reported == df["delivery_progress"].notna())


def a_delivery_follows_the_deadline(df):
    """"not yet due" only before the deadline, "deadline passed" only after it, "no deadline" only without one."""
    status, target, as_of = df["delivery"], df["target_date"], df["delivery_as_of"]
    return (((status != "not yet due") | (target > as_of))
            & ((status != "deadline passed, no report") | (target <= as_of))
            & ((status != "no deadline") | target.isna()))


def holds_only(metrics: list[str]):
    def holds_only_its_metrics(df):
        return df["metric"].isin(metrics) & (df["kind"] == "pledge")
    return holds_only_its_metrics


PLEDGE_RULES = [stated_interval_holds_the_figure, unhedged_figures_are_stated_exactly, n_sources_counts_source_ids,
                n_stating_is_at_most_n_sources, status_fits_n_sources, disagreements_point_to_their_findings,
                headline_claim_is_one_of_its_claims, target_after_announcement, statements_are_not_announced,
                unknown_announcements_have_no_date, country_name_goes_with_country,
                independent_groups_are_at_most_the_sources, only_pledges_count_in_totals,
                a_reported_delivery_names_its_claim, a_delivery_follows_the_deadline]
FIGURE_RULES = [stated_interval_holds_the_figure, readings_interval_holds_the_figure,
                unhedged_figures_are_stated_exactly]
RULES = {
    "sources": [has_rows, unknown_dates_have_no_date, published_lies_in_its_range, a_copy_is_of_another_source],
    "claims": [has_rows, offsets_span_the_quote, claim_id_starts_with_source_id, money_is_in_a_currency,
               a_figure_unless_a_report_of_progress, *FIGURE_RULES],
    "checks": [id_starts_with_kind, about_a_pledge_or_a_source, severity_follows_verdict],
    "pledges": [has_rows, *PLEDGE_RULES],
    "totals": FIGURE_RULES,
    "links": [],
    "events": [],
    "corrections": [],
    "investments": [*PLEDGE_RULES, amount_usd_is_amount_eur_at_the_rate, value_is_the_amount_in_its_unit,
                    ranges_have_no_point_amount, rate_is_from_the_announcement_week, amount_bounds_hold_the_amount],
}


def model(name: str, schema: str) -> pa.DataFrameSchema:
    """The pandera schema of resource `name`, whose Table Schema is schemas/<schema>.json."""
    rules = RULES[name] if name in RULES else [*PLEDGE_RULES,
                                               holds_only(list(vocabulary.current().topic_metrics()[name]))]
    return pa.DataFrameSchema({f["name"]: column(f) for f in fields(schema)},
                              checks=[pa.Check(rule, name=rule.__name__) for rule in rules],
                              strict=True, ordered=True, coerce=True, name=name)


@cache
def models(root: Path) -> dict[str, pa.DataFrameSchema]:
    """The pandera schema of each resource of the package under `root`, from its Table Schemas."""
    return {r["name"]: model(r["name"], r["schema"]) for r in package_metadata(root)["resources"]}




def read_table(data: bytes) -> pd.DataFrame:
    """A CSV of this package as text columns, empty cells as missing (as Frictionless reads them)."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


@dataclass(frozen=True)
class Failure:
    check: str  # as listed by checks(): "value: greater_than", "value: dtype float64", "has_rows"
    column: str | None  # None for a rule across columns
    value: str | None  # the failing cell, or the row's id for a rule across columns; None for the table


def checks(model) -> list[str]:
    """Every check a model runs, named as failures() names them."""
    names = []
    for name, column in model.columns.items():
        names.append(f"{name}: dtype {column.dtype}")
        if not column.nullable:
            names.append(f"{name}: not_nullable")
        if column.unique:
            names.append(f"{name}: unique")
        names += [f"{name}: {check.name}" for check in column.checks]
    return names + [check.name for check in model.checks]


def failures(name: str, table: pd.DataFrame) -> list[Failure]:
    """Every check the table fails, with the failing value; empty when it keeps them all."""
    model = models(vocabulary.package_root())[name]
    table = table.copy()
    for column, spec in model.columns.items():  # Table Schema's "true"/"false" as the booleans they are
        if str(spec.dtype) == "boolean" and column in table:
            table[column] = table[column].map(lambda cell: BOOLEANS.get(cell, cell), na_action="ignore")
    try:
        model.validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        dtypes = {str(c.name): f"{c.name}: dtype {c.dtype}" for c in model.columns.values()}
        found = set()
        for case in errors.failure_cases.itertuples():
            kind = str(case.check).split("(")[0]
            kind = {"coerce_dtype": "dtype", "field_uniqueness": "unique"}.get(kind, kind)
            if case.schema_context == "DataFrameSchema":
                # A rule across columns fails once per row, whatever column pandera names.
                row = None if case.index is None else str(table.iloc[int(case.index), 0])
                found.add(Failure(kind, None, row))
            else:
                label = dtypes.get(case.column, kind) if kind == "dtype" else f"{case.column}: {kind}"
                found.add(Failure(label, case.column, str(case.failure_case)))
        return sorted(found, key=lambda f: (f.check, f.value or ""))
    return []


def validate(name: str, data: bytes) -> list[str]:
    """Every rule the table breaks, one line each; empty when it keeps them all."""
    lines = set()
    for f in failures(name, read_table(data)):
        if f.column is not None:
            lines.add(f"column {f.column}: check {f.check.removeprefix(f.column + ': ')} fails for {f.value!r}")
        elif f.value is not None:
            lines.add(f"check {f.check} fails for row {f.value}")
        else:
            lines.add(f"check {f.check} fails for the table")
    return sorted(lines)
