"""Turn sources, claims and pledges into the package's tables, and write them byte-stably.

Columns follow the Table Schema's field order, rows are sorted by primary key, numbers are
written in plain notation (4000000000, 1.0795), and files are UTF-8 without BOM with "\\n"
line endings, so that building twice gives identical bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pycountry

from pledges.annotations import Source
from pledges.bounds import Interval
from pledges.reconcile import Finding, Pledge, convert, date_findings
from pledges.yamlfile import load as load_yaml

PACKAGE_FILE = "package.yaml"
# Which pledges each topic table holds, by metric.
TOPIC_METRICS = {"investments": {"investment"}, "jobs": {"jobs", "employees"},
                 "training": {"people_trained"}, "startups": {"startups"}, "gpus": {"gpus"},
                 "energy": {"renewable_energy_share", "datacentre_capacity"}}
WHOLE = Decimal(1)


def cell(value) -> str:
    kind = type(value)
    if kind is str:  # most cells: first, and without a call
        return value
    if value is None:
        return ""
    if kind is Decimal:
        return _decimal(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@cache
def _decimal(value: Decimal) -> str:
    """A number in plain notation (4000000000, 1.0795); read once per distinct value."""
    return format(value.normalize(), "f")


def source_row(source: Source) -> dict:
    language = pycountry.languages.get(alpha_2=source.language)
    return {
        "source_id": source.source_id, "seed_file": f"seeds/{source.seed}", "seed_sha256": source.sha256,
        "name": source.publisher or f"{source.title or source.source_id} (publisher not named)",
        "publisher": source.publisher, "title": source.title, "language": source.language,
        "language_name": language.name, "published": source.published,
        "published_earliest": source.published_earliest, "published_latest": source.published_latest,
        "date_basis": source.date_basis, "date_evidence": source.date_evidence, "author": source.author,
        "url": source.url, "n_mentions": len(source.claims),
        "n_figures": len({(c.fact, c.value, c.value_to, c.unit) for c in source.claims}), "notes": source.notes,
    }


def claim_rows(sources: list[Source], facts, pledges: list[Pledge]) -> list[dict]:
    ranks = {cid: rank for p in pledges for cid, rank in p.ranks.items()}
    bounds = {cid: b for p in pledges for cid, b in p.bounds.items()}
    return [{
        "claim_id": c.claim_id, "source_id": c.source_id, "fact_id": c.fact, "subject": c.subject,
        "metric": c.metric, "value": c.value, "value_to": c.value_to, "value_low": bounds[c.claim_id].low,
        "value_high": bounds[c.claim_id].high, "unit": c.unit,
        "qualifier": c.qualifier, "target_date": c.target_date, "target_text": c.target, "country": facts[c.fact].country,
        "quote": c.quote, "quote_start": c.start, "quote_end": c.end, "rank": ranks[c.claim_id][0],
        "rank_reason": ranks[c.claim_id][1], "inferred": c.inferred, "note": c.note,
    } for s in sources for c in s.claims]


def check_rows(findings: list[Finding]) -> list[dict]:
    return [{"check_id": f.id, "kind": f.kind, "verdict": f.verdict, "severity": f.severity, "fact_id": f.fact_id,
             "source_id": f.source_id, "claim_ids": ";".join(f.claim_ids), "expected": f.expected,
             "found": f.found, "explanation": f.explanation} for f in findings]


def _converted(bound: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if bound is None else (bound * factor).quantize(WHOLE)


def pledge_row(pledge: Pledge, region_names: dict[str, str]) -> dict:
    fact, preferred, consensus = pledge.fact, pledge.preferred, pledge.consensus
    country = pycountry.countries.get(alpha_2=fact.country) if fact.country else None
    iso_names = [pycountry.subdivisions.get(code=r).name for r in fact.regions]
    row = {
        "fact_id": fact.id, "label": fact.label, "kind": fact.kind, "scope": fact.scope, "subject": fact.subject,
        "metric": fact.metric, "value": preferred.value, "value_low": consensus.low, "value_high": consensus.high,
        "unit": preferred.unit, "qualifier": preferred.qualifier,
        "country": fact.country, "country_name": country.name if country else "",
        "regions": ";".join(fact.regions), "region_names": "; ".join(iso_names),
        "region_names_en": "; ".join(region_names.get(r, n) for r, n in zip(fact.regions, iso_names)),
        "recipient": fact.recipient, "target_date": pledge.target.target_date if pledge.target else None,
        "announced": fact.announced,
        "announced_basis": fact.announced_basis, "preferred_claim_id": preferred.claim_id,
        "claim_ids": ";".join(c.claim_id for c in pledge.claims), "source_ids": ";".join(pledge.source_ids),
        "n_sources": len(pledge.source_ids), "status": pledge.status,
        "check_ids": ";".join(sorted(f.id for f in pledge.findings)),
    }
    if pledge.rate is not None:
        rate, unit = pledge.rate, preferred.unit
        row["amount_eur"], row["amount_usd"] = convert(preferred.value, unit, rate)
        to_eur, to_usd = Decimal(1) / rate.per_eur[unit], rate.factor(unit, "USD")
        row["amount_eur_low"], row["amount_eur_high"] = (_converted(b, to_eur) for b in (consensus.low, consensus.high))
        row["amount_usd_low"], row["amount_usd_high"] = (_converted(b, to_usd) for b in (consensus.low, consensus.high))
        row["eur_usd_rate"], row["rate_date"] = rate.usd_per_eur, rate.day
    return row


def total_rows(pledges: list[Pledge]) -> list[dict]:
    """One row per reported total: the figure a source states, its parts and the test against their sum."""
    rows = []
    for pledge in pledges:
        for finding in (f for f in pledge.findings if f.kind == "total"):
            claim = next(c for c in pledge.claims if c.claim_id == finding.claim_ids[0])
            bounds: Interval = pledge.bounds[claim.claim_id]
            rows.append({
                "total_id": claim.claim_id, "fact_id": pledge.fact.id, "label": pledge.fact.label,
                "source_id": claim.source_id, "claim_ids": ";".join(finding.claim_ids), "value": claim.value,
                "value_low": bounds.low, "value_high": bounds.high, "unit": claim.unit, "qualifier": claim.qualifier,
                "parts": ";".join(pledge.fact.sum_of), "parts_sum": finding.parts_sum.quantize(WHOLE),
                "verdict": finding.verdict, "check_id": finding.id})
    return rows


def make_tables(facts, sources: list[Source], pledges: list[Pledge],
                region_names: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """Every table's rows, keyed by resource name."""
    pledge_rows = [pledge_row(p, region_names or {}) for p in pledges]
    findings = [f for p in pledges for f in p.findings] + date_findings(sources)
    tables = {"sources": [source_row(s) for s in sources], "claims": claim_rows(sources, facts, pledges),
              "checks": check_rows(findings), "pledges": pledge_rows, "totals": total_rows(pledges)}
    for name, metrics in TOPIC_METRICS.items():
        # A topic table holds what may be summed: no total beside its parts.
        tables[name] = [r for r in pledge_rows if r["metric"] in metrics and r["kind"] != "total"]
    return tables


def to_csv(rows: list[dict], schema: dict) -> bytes:
    names = [f["name"] for f in schema["fields"]]
    key = schema["primaryKey"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    lines = [[cell(row[n]) for n in names] for row in rows]
    at = [names.index(k) for k in key]
    lines.sort(key=lambda line: [line[i] for i in at])
    writer.writerows(lines)
    return buffer.getvalue().encode("utf-8")


def load_schema(root: Path, name: str) -> dict:
    return json.loads((root / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def package_metadata(root: Path) -> dict:
    return load_yaml((root / PACKAGE_FILE).read_text(encoding="utf-8"), None).data


def render(root: Path, tables: dict[str, list[dict]]) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path relative to the package root."""
    meta = package_metadata(root)
    files: dict[str, bytes] = {}
    resources = []
    for spec in meta["resources"]:
        path = f"data/{spec['name']}.csv"
        files[path] = to_csv(tables[spec["name"]], load_schema(root, spec["schema"]))
        resources.append({
            "name": spec["name"], "type": "table", "title": spec["title"], "description": spec["description"],
            "path": path, "scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(files[path]), "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": f"schemas/{spec['schema']}.json",
        })
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"], "title": meta["title"], "description": meta["description"],
        "version": meta["version"], "created": meta["created"],
        "keywords": [k.strip() for k in meta["keywords"].split(",")],
        "licenses": meta["licenses"], "contributors": [
            {**c, "roles": [r.strip() for r in c["roles"].split(",")]} for c in meta["contributors"]],
        "sources": meta["sources"], "resources": resources,
    }
    if meta.get("homepage"):
        package["homepage"] = meta["homepage"]
    files["datapackage.json"] = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files
