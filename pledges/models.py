"""pandera models of every table: the Table Schema's rules, plus rules across columns.

The per-column rules repeat the Table Schemas in schemas/ on purpose (two engines, one contract);
tests/test_schemas_agree.py fails when they drift apart. What a Table Schema cannot say lives
only here: amount_usd is amount_eur at the recorded rate, a quote's offsets span its length,
a status fits the number of sources, a topic table holds only its metrics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pledges.schemas import currencies, enum

SOURCE_ID = r"^[0-9]{3}_[0-9a-f]{16}$"
CLAIM_ID = r"^[0-9]{3}_[0-9a-f]{16}-[a-z0-9]+(-[a-z0-9]+)*$"
FACT_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COUNTRY = r"^[A-Z]{2}$"
REGIONS = r"^[A-Z]{2}-[A-Z0-9]{1,3}(;[A-Z]{2}-[A-Z0-9]{1,3})*$"
METRICS = enum("claims", "metric")
UNITS = enum("claims", "unit")
QUALIFIERS = enum("claims", "qualifier")
CURRENCIES = list(currencies())
STATUSES = ["corroborated", "single source", "conflicting"]
RANKS = ["preferred", "normal", "deprecated"]
KINDS = ["value", "currency", "conversion", "qualifier", "target", "total", "date"]
SEVERITIES = ["info", "warning", "conflict"]


# Text a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection).
FORMULA_SAFE = r"[^=+\-@\t\r][\s\S]*"


def optional(**checks):
    return pa.Field(nullable=True, **checks)


def text(nullable: bool = False, **checks):
    """Free text: required unless nullable, and never starting like a spreadsheet formula."""
    return pa.Field(nullable=nullable, str_matches=FORMULA_SAFE, **checks)


class NotEmpty(pa.DataFrameModel):
    """A table with a header and no rows is an error: Frictionless alone would pass it."""

    @pa.dataframe_check
    def has_rows(cls, df: pd.DataFrame) -> bool:
        return len(df) > 0


class Sources(NotEmpty):
    source_id: Series[str] = pa.Field(unique=True, str_matches=SOURCE_ID)
    seed_file: Series[str] = pa.Field(unique=True, str_matches=r"^seeds/[0-9]{3}_[0-9a-f]{16}\.txt$")
    seed_sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    publisher: Series[str] = text(nullable=True)
    title: Series[str] = text(nullable=True)
    language: Series[str] = pa.Field(isin=["en", "fr", "it"])
    language_name: Series[str] = text()
    published: Series[pd.Timestamp] = optional()
    date_basis: Series[str] = pa.Field(isin=["stated", "inferred", "unknown"])
    date_evidence: Series[str] = text(nullable=True)
    author: Series[str] = text(nullable=True)
    url: Series[str] = text(nullable=True)
    n_claims: Series[pd.Int64Dtype] = pa.Field(ge=1)
    notes: Series[str] = text(nullable=True)

    class Config:
        strict = True  # no column the schema does not list
        ordered = True  # and in the schema's order
        coerce = True  # CSV text to the column's type; a cell that will not convert is an error

    @pa.dataframe_check
    def unknown_dates_have_no_date(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["date_basis"] == "unknown") == df["published"].isna()


class Claims(NotEmpty):
    claim_id: Series[str] = pa.Field(unique=True, str_matches=CLAIM_ID)
    source_id: Series[str] = pa.Field(str_matches=SOURCE_ID)
    fact_id: Series[str] = pa.Field(str_matches=FACT_ID)
    subject: Series[str] = text()
    metric: Series[str] = pa.Field(isin=METRICS)
    value: Series[float] = pa.Field(gt=0)
    value_to: Series[float] = optional(gt=0)
    unit: Series[str] = pa.Field(isin=UNITS)
    qualifier: Series[str] = pa.Field(isin=QUALIFIERS)
    target_date: Series[pd.Timestamp] = optional()
    target_text: Series[str] = text(nullable=True)
    country: Series[str] = optional(str_matches=COUNTRY)
    quote: Series[str] = text(str_length={"min_value": 1})
    quote_start: Series[pd.Int64Dtype] = pa.Field(ge=0)
    quote_end: Series[pd.Int64Dtype] = pa.Field(ge=1)
    rank: Series[str] = pa.Field(isin=RANKS)
    rank_reason: Series[str] = text()
    inferred: Series[str] = text(nullable=True)
    note: Series[str] = text(nullable=True)

    class Config:
        strict = True  # no column the schema does not list
        ordered = True  # and in the schema's order
        coerce = True  # CSV text to the column's type; a cell that will not convert is an error

    @pa.dataframe_check
    def offsets_span_the_quote(cls, df: pd.DataFrame) -> Series[bool]:
        return df["quote_end"] - df["quote_start"] == df["quote"].str.len()

    @pa.dataframe_check
    def claim_id_starts_with_source_id(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series([c.startswith(s + "-") for c, s in zip(df["claim_id"], df["source_id"])], index=df.index)

    @pa.dataframe_check
    def money_is_in_a_currency(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["metric"] == "investment") == df["unit"].isin(CURRENCIES)


class Checks(pa.DataFrameModel):
    check_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z]+/[a-z0-9_-]+$")
    kind: Series[str] = pa.Field(isin=KINDS)
    severity: Series[str] = pa.Field(isin=SEVERITIES)
    fact_id: Series[str] = optional(str_matches=FACT_ID)
    source_id: Series[str] = optional(str_matches=SOURCE_ID)
    claim_ids: Series[str] = text(nullable=True)
    expected: Series[str] = text()
    found: Series[str] = text()
    explanation: Series[str] = text()

    class Config:
        strict = True
        ordered = True
        coerce = True

    @pa.dataframe_check
    def id_starts_with_kind(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series([i.startswith(k + "/") for i, k in zip(df["check_id"], df["kind"])], index=df.index)

    @pa.dataframe_check
    def about_a_pledge_or_a_source(cls, df: pd.DataFrame) -> Series[bool]:
        return df["fact_id"].notna() | df["source_id"].notna()


class Pledges(NotEmpty):
    fact_id: Series[str] = pa.Field(unique=True, str_matches=FACT_ID)
    label: Series[str] = text()
    subject: Series[str] = text()
    metric: Series[str] = pa.Field(isin=METRICS)
    value: Series[float] = pa.Field(gt=0)
    unit: Series[str] = pa.Field(isin=UNITS)
    qualifier: Series[str] = pa.Field(isin=QUALIFIERS)
    country: Series[str] = optional(str_matches=COUNTRY)
    country_name: Series[str] = text(nullable=True)
    regions: Series[str] = optional(str_matches=REGIONS)
    region_names: Series[str] = text(nullable=True)
    recipient: Series[str] = text(nullable=True)
    target_date: Series[pd.Timestamp] = optional()
    announced: Series[pd.Timestamp] = pa.Field()
    announced_basis: Series[str] = text()
    preferred_claim_id: Series[str] = pa.Field(str_matches=CLAIM_ID)
    claim_ids: Series[str] = text()
    source_ids: Series[str] = text()
    n_sources: Series[pd.Int64Dtype] = pa.Field(ge=1)
    status: Series[str] = pa.Field(isin=STATUSES)
    check_ids: Series[str] = text(nullable=True)

    class Config:
        strict = True  # no column the schema does not list
        ordered = True  # and in the schema's order
        coerce = True  # CSV text to the column's type; a cell that will not convert is an error

    @pa.dataframe_check
    def n_sources_counts_source_ids(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_ids"].str.split(";").str.len() == df["n_sources"]

    @pa.dataframe_check
    def status_fits_n_sources(cls, df: pd.DataFrame) -> Series[bool]:
        single = df["n_sources"] == 1
        return ((df["status"] == "single source") <= single) & ((df["status"] == "corroborated") <= ~single)

    @pa.dataframe_check
    def conflicting_pledges_point_to_their_findings(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["status"] != "conflicting") | df["check_ids"].notna()

    @pa.dataframe_check
    def preferred_claim_is_one_of_its_claims(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series([p in c.split(";") for p, c in zip(df["preferred_claim_id"], df["claim_ids"])], index=df.index)

    @pa.dataframe_check
    def target_after_announcement(cls, df: pd.DataFrame) -> Series[bool]:
        return df["target_date"].isna() | (df["target_date"] > df["announced"])

    @pa.dataframe_check
    def country_name_goes_with_country(cls, df: pd.DataFrame) -> Series[bool]:
        return df["country"].isna() == df["country_name"].isna()


class Investments(Pledges):
    metric: Series[str] = pa.Field(isin=["investment"])
    unit: Series[str] = pa.Field(isin=CURRENCIES)
    amount_eur: Series[float] = pa.Field(gt=0)
    amount_usd: Series[float] = pa.Field(gt=0)
    eur_usd_rate: Series[float] = pa.Field(gt=0)
    rate_date: Series[pd.Timestamp] = pa.Field()

    @pa.dataframe_check
    def amount_usd_is_amount_eur_at_the_rate(cls, df: pd.DataFrame) -> Series[bool]:
        # The converted amount is rounded to the whole unit: off by at most half a euro or dollar.
        return (df["amount_usd"] - df["amount_eur"] * df["eur_usd_rate"]).abs() <= df["eur_usd_rate"] / 2 + 0.5

    @pa.dataframe_check
    def value_is_the_amount_in_its_unit(cls, df: pd.DataFrame) -> Series[bool]:
        stated = df["amount_eur"].where(df["unit"] == "EUR", df["amount_usd"].where(df["unit"] == "USD", df["value"]))
        return df["value"] == stated

    @pa.dataframe_check
    def rate_is_from_the_announcement_week(cls, df: pd.DataFrame) -> Series[bool]:
        gap = df["announced"] - df["rate_date"]
        return (gap >= pd.Timedelta(0)) & (gap <= pd.Timedelta(days=7))


def _topic(metrics: list[str]):
    class Topic(Pledges):
        @pa.dataframe_check
        def holds_only_its_metrics(cls, df: pd.DataFrame) -> Series[bool]:
            return df["metric"].isin(metrics)

    return Topic


MODELS = {"sources": Sources, "claims": Claims, "checks": Checks, "pledges": Pledges, "investments": Investments,
          "jobs": _topic(["jobs", "employees"]), "training": _topic(["people_trained"]),
          "startups": _topic(["startups"]), "gpus": _topic(["gpus"])}


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
    schema = model.to_schema()
    names = []
    for name, column in schema.columns.items():
        names.append(f"{name}: dtype {column.dtype}")
        if not column.nullable:
            names.append(f"{name}: not_nullable")
        if column.unique:
            names.append(f"{name}: unique")
        names += [f"{name}: {check.name}" for check in column.checks]
    return names + [check.name for check in schema.checks]


def failures(name: str, table: pd.DataFrame) -> list[Failure]:
    """Every check the table fails, with the failing value; empty when it keeps them all."""
    model = MODELS[name]
    try:
        model.validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        dtypes = {str(c.name): f"{c.name}: dtype {c.dtype}" for c in model.to_schema().columns.values()}
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
