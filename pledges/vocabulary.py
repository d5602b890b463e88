"""The package's vocabularies, from one registry: schemas/vocabulary.yaml.

Metrics (with their unit and topic table), currencies, units, qualifiers, attributions, kinds,
scopes, statuses, ranks, verdicts, kinds of check, languages and date bases are listed there once.
The Table Schemas carry them as `enum` constraints, written from the registry by `make build`
(sync_schemas, below, says which field holds which list); the checks, tables, pandera models,
expectations, pages and drafts read them from here. Adding a metric to an existing topic table is
one edit to the registry.

A command reads the registry of the package it works on (`use(root)`); code that has no package
at hand (the figure reader) reads the current one, by default that of this checkout.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from pledges import ROOT, files
from pledges.errors import InputError, command
from pledges.inputs.yamlfile import Dict, Map, Str, YamlError, parse

FILE = "schemas/vocabulary.yaml"
MEANING = Map({"means": Str}, {"words": Str, "written": Str, "with_figure": Str, "severity": Str,
                               "publication": Str, "unit": Str, "table": Str, "most": Str, "counted": Str,
                               "event": Str, "country": Str, "title": Str, "inverse": Str})
SECTIONS = ("languages", "currencies", "metrics", "units", "qualifiers", "attributions", "kinds", "scopes",
            "statuses", "ranks", "verdicts", "checks", "date_bases", "relations", "progress", "deliveries",
            "correctors")
SCHEMA = Map({name: Dict(MEANING) for name in SECTIONS})


class VocabularyError(InputError):
    """The registry cannot be read, with the file, line and what is wrong."""


@dataclass(frozen=True)
class Vocabulary:
    entries: dict[str, dict[str, dict[str, str]]]  # section -> value -> its attributes

    def names(self, section: str) -> tuple[str, ...]:
        return tuple(self.entries[section])

    def means(self, section: str, value: str) -> str:
        return self.entries[section][value]["means"]

    def attribute(self, section: str, value: str, key: str, default: str = "") -> str:
        return self.entries[section][value].get(key, default)

    # ------------------------------------------------------------------------------ metrics, units

    @property
    def currencies(self) -> tuple[str, ...]:
        return self.names("currencies")

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.names("metrics")

    def units_of(self, metric: str) -> tuple[str, ...]:
        """The units a metric may be counted in: every currency for money."""
        unit = self.attribute("metrics", metric, "unit")
        return self.currencies if unit == "money" else (unit,)

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit a claim may have: the currencies, then the other units."""
        return (*self.currencies, *self.names("units"))

    @property
    def written_units(self) -> tuple[str, ...]:
        """Units a quote writes with its figure ("€4bn", "25%", "40 MW"); the rest name a thing counted."""
        return (*self.currencies, *(u for u in self.names("units") if self.attribute("units", u, "with_figure")))

    def most(self, metric: str) -> Decimal:
        """Above this a value of the metric is a typo, not a pledge."""
        return Decimal(self.attribute("metrics", metric, "most"))

    def topic_metrics(self) -> dict[str, tuple[str, ...]]:
        """Each topic table and the metrics whose pledges it holds, in the registry's order."""
        tables: dict[str, list[str]] = {}
        for metric in self.metrics:
            tables.setdefault(self.attribute("metrics", metric, "table"), []).append(metric)
        return {table: tuple(metrics) for table, metrics in tables.items()}

    def unit_words(self, unit: str) -> str:
        """A unit as a reader writes it after a number: "GPUs", "%", "people"."""
        return self.attribute("units", unit, "written", unit) if unit in self.entries["units"] else unit

    def hedge_words(self, qualifier: str) -> str:
        return self.attribute("qualifiers", qualifier, "words")

    def severity(self, verdict: str) -> str:
        return self.attribute("verdicts", verdict, "severity")

    # ------------------------------------------------------------------ the pledges the package leads with

    def leads(self, row: dict) -> bool:
        """Whether a pledges row is one the home page, the README and the database's view lead
        with: a pledge of an announcement event (a scope with `event: yes`) for the event's country."""
        scope = self.entries["scopes"].get(row["scope"], {})
        return row["kind"] == "pledge" and scope.get("event") == "yes" and row["country"] == scope.get("country")

    def leads_sql(self) -> str:
        """leads() as an SQL condition on the pledges table (the names are the Table Schemas'
        enum values, the country an ISO code: quotes doubled all the same)."""
        events = [f"(scope = {_sql_text(scope)} and country = {_sql_text(self.attribute('scopes', scope, 'country'))})"
                  for scope in self.events()]
        return f"kind = 'pledge' and ({' or '.join(events) or 'false'})"

    def lead_order(self, row: dict) -> tuple:
        """The order they are listed in: money first, then by company and label."""
        unit = self.entries["metrics"].get(row["metric"], {}).get("unit")
        return unit != "money", row["subject"], row["label"]

    def events(self) -> tuple[str, ...]:
        """The scopes that are announcement events."""
        return tuple(s for s, entry in self.entries["scopes"].items() if entry.get("event") == "yes")

    def lead_title(self) -> str:
        """How pages name the pledges the package leads with ("The Choose France 2024 pledges in France")."""
        return " and ".join(self.attribute("scopes", s, "title") for s in self.events()) or "Pledges"

    def lead_means(self) -> str:
        """What those pledges are ("announced for France at the Choose France summit of May 2024")."""
        return " and ".join(self.means("scopes", s) for s in self.events()) or "pledged"

    def lead_order_sql(self) -> str:
        """lead_order() as an SQL order."""
        money = ", ".join(_sql_text(m) for m in self.metrics if self.attribute("metrics", m, "unit") == "money")
        return f"metric not in ({money}), subject, label"

    # --------------------------------------------------------------------------------- the schemas

    def enums(self) -> dict[tuple[str, str], list[str]]:
        """The enum of each Table Schema field that holds a vocabulary: (schema, field) -> values."""
        metrics, units, currencies = list(self.metrics), list(self.units), list(self.currencies)
        qualifiers, statuses, scopes = list(self.names("qualifiers")), list(self.names("statuses")), \
            list(self.names("scopes"))
        bases = list(self.names("date_bases"))
        found = {
            ("claims", "metric"): metrics, ("pledges", "metric"): metrics,
            ("investments", "metric"): [m for m in metrics if self.attribute("metrics", m, "table") == "investments"],
            ("claims", "unit"): units, ("pledges", "unit"): units, ("totals", "unit"): units,
            ("investments", "unit"): currencies,
            ("claims", "qualifier"): qualifiers, ("pledges", "qualifier"): qualifiers,
            ("investments", "qualifier"): qualifiers, ("totals", "qualifier"): qualifiers,
            ("claims", "attribution"): list(self.names("attributions")),
            ("claims", "rank"): list(self.names("ranks")),
            ("pledges", "kind"): list(self.names("kinds")), ("investments", "kind"): ["pledge"],
            ("pledges", "scope"): scopes, ("investments", "scope"): scopes,
            ("pledges", "status"): statuses, ("investments", "status"): statuses,
            ("pledges", "announced_date_basis"): bases, ("investments", "announced_date_basis"): bases,
            ("sources", "date_basis"): [b for b in bases if self.attribute("date_bases", b, "publication") != "no"],
            ("sources", "language"): list(self.names("languages")),
            ("checks", "kind"): list(self.names("checks")),
            ("checks", "verdict"): list(self.names("verdicts")), ("totals", "verdict"): list(self.names("verdicts")),
            ("checks", "severity"): list(dict.fromkeys(self.severity(v) for v in self.names("verdicts"))),
            ("links", "relation"): list(self.names("relations")),
            ("claims", "progress"): list(self.names("progress")),
            ("pledges", "delivery"): list(self.names("deliveries")),
            ("investments", "delivery"): list(self.names("deliveries")),
            ("pledges", "delivery_progress"): list(self.names("progress")),
            ("investments", "delivery_progress"): list(self.names("progress")),
            ("events", "metric"): metrics, ("events", "unit"): units,
            ("events", "scope"): [s for s in scopes if self.attribute("scopes", s, "event") == "yes"],
            ("corrections", "by"): list(self.names("correctors")),
        }
        return found


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read(root: Path) -> Vocabulary:
    """The registry of the package under `root`; raises VocabularyError naming the file and line."""
    try:
        raw = files.read_bytes(root, FILE)
    except (OSError, files.Unsafe) as error:
        raise VocabularyError(f"{FILE}: cannot be read ({error})") from None
    return _parse(raw)


@cache
def _parse(raw: bytes) -> Vocabulary:
    try:
        node = parse(raw, SCHEMA)
    except YamlError as error:
        raise VocabularyError(f"{FILE}:{error.line}: {error.message}") from None
    document = node.data
    for metric, entry in document["metrics"].items():
        where = f"{FILE}:{node['metrics'].key_line(metric)}: metric {metric}"
        unit = entry.get("unit", "")
        if unit != "money" and unit not in document["units"]:
            raise VocabularyError(f"{where}: unit {unit!r} is neither money nor one of the units")
        if not entry.get("table") or not entry.get("most", "").isdigit():
            raise VocabularyError(f"{where}: needs `table:` (its topic table) and `most:` (digits)")
    for scope, entry in document["scopes"].items():
        if entry.get("event") == "yes" and not (re.fullmatch(r"[A-Z]{2}", entry.get("country", ""))
                                                 and entry.get("title")):
            raise VocabularyError(f"{FILE}:{node['scopes'].key_line(scope)}: scope {scope}: an event needs "
                                  f"`country:` (the ISO 3166-1 alpha-2 code its pledges are for) and `title:`")
    names = set(document["relations"])
    inverses = [entry.get("inverse") for entry in document["relations"].values()]
    for relation, entry in document["relations"].items():
        inverse = entry.get("inverse", "")
        plain = re.fullmatch(r"[a-z_]+", inverse) and inverse not in names and inverses.count(inverse) == 1
        if not entry.get("words") or entry.get("counted") not in ("yes", "no") or not plain:
            raise VocabularyError(f"{FILE}:{node['relations'].key_line(relation)}: relation {relation}: needs "
                                  f"`words:` (as a page says it), `inverse:` (its name from the other fact: "
                                  f"lower-case letters and _, no relation's name nor another's inverse) and "
                                  f"`counted:` (yes or no)")
    return Vocabulary(document)


_current: list[tuple[Path, Vocabulary]] = []


def use(root: Path) -> Vocabulary:
    """Make the package under `root` the one being worked on (its registry, and its schemas for
    the validation engines), and return its registry."""
    vocabulary = read(root)
    _current[:] = [(root, vocabulary)]
    return vocabulary


def current() -> Vocabulary:
    """The registry of the package being worked on (`use`), or of this checkout."""
    if not _current:
        _current.append((ROOT, read(ROOT)))
    return _current[0][1]


def package_root() -> Path:
    """The folder of the package being worked on (`use`), or of this checkout."""
    return _current[0][0] if _current else ROOT


def sync_schemas(root: Path, vocabulary: Vocabulary, write: bool) -> list[str]:
    """The schemas whose enums differ from the registry; with `write`, rewritten to agree."""
    changed = []
    by_schema: dict[str, dict[str, list[str]]] = {}
    for (schema, name), values in vocabulary.enums().items():
        by_schema.setdefault(schema, {})[name] = values
    from pledges.tables.schemas import load_schema  # which reads this registry: imported when used

    for schema, wanted in sorted(by_schema.items()):
        where = f"schemas/{schema}.json"
        if files.kind(root, where) is None:
            continue  # a package without that table; a link or special file is refused by load_schema
        document = load_schema(root, schema)
        differs = False
        for field in document["fields"]:
            if field["name"] in wanted and field.get("constraints", {}).get("enum") != wanted[field["name"]]:
                field.setdefault("constraints", {})["enum"] = wanted[field["name"]]
                differs = True
        if differs:
            changed.append(where)
            if write:
                files.write_text(root, where, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return changed


@command("vocabulary")
def main(argv: list[str] | None = None) -> int:
    """`python -m pledges.vocabulary [--check] [--root DIR]`: write the registry's lists into the
    Table Schemas' enums (make build does), or with --check only say which differ."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Write the vocabularies of schemas/vocabulary.yaml into schemas/.")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    words = read(args.root)
    changed = sync_schemas(args.root, words, write=not args.check)
    if args.check and changed:
        print(f"{', '.join(changed)}: enums differ from {FILE}; run make build", file=sys.stderr)
        return 1
    for path in changed:
        print(f"==> {path}: enums written from {FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
