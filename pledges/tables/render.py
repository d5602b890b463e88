"""Turn sources, claims and pledges into the package's tables, and write them byte-stably.

Columns follow the Table Schema's field order, rows are sorted by primary key, numbers are
written in plain notation (4000000000, 1.0795), and files are UTF-8 without BOM with "\\n"
line endings, so that building twice gives identical bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

import pycountry

from pledges import vocabulary
from pledges.checks.delivery import delivery
from pledges.checks.lineage import Event
from pledges.checks.rates import convert
from pledges.checks.reconcile import Finding, Pledge, date_findings, same_figure, spread
from pledges.inputs.records import Source
from pledges.reading.intervals import Interval
from pledges.tables.contract import Table, across
from pledges.wording import hedge_words, print_advice, span_words, total_caveat

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


@dataclass(frozen=True)
class Context:
    """What the rows of a pledge are made from, besides its claims: the facts (their links), the
    regions' English names, the version date statuses are as of, and each source's publication
    date, name and group of copies."""

    facts: dict
    region_names: dict[str, str]
    as_of: date
    published: dict[str, date | None]
    names: dict[str, str]
    counted: dict[str, bool]  # fact id -> counted in totals (pledges.checks.lineage.in_totals)
    links: dict[str, list[tuple[str, str, str, str]]]  # fact id -> its links both ways (lineage.links_of)


def source_name(source: Source) -> str:
    """What a reader calls a source: its publisher, or its title, or its language and date."""
    if source.publisher:
        return source.publisher
    if source.title:
        return f"{source.title} (publisher not named)"
    language = pycountry.languages.get(alpha_2=source.language)
    day = source.published or (f"{source.published_earliest} to {source.published_latest}"
                                if source.published_earliest else "date unknown")
    return f"Untitled {language.name if language else source.language} article, {day} (publisher not named)"


def source_row(source: Source, group: str) -> dict:
    language = pycountry.languages.get(alpha_2=source.language)
    return {
        "source_id": source.source_id, "seed_file": f"seeds/{source.seed}", "seed_sha256": source.sha256,
        "name": source_name(source), "copy_of": "" if group == source.source_id else group,
        "publisher": source.publisher, "title": source.title, "language": source.language,
        "language_name": language.name if language else source.language, "published": source.published,
        "published_earliest": source.published_earliest, "published_latest": source.published_latest,
        "date_basis": source.date_basis, "date_evidence": source.date_evidence, "author": source.author,
        "url": source.url, "n_mentions": len(source.claims),
        "n_figures": len({(c.fact, c.value, c.value_to, c.unit) for c in source.claims}), "notes": source.notes,
    }


def _ends(span: Interval) -> tuple[Decimal | None, Decimal | None]:
    return span.low, span.high


def claim_rows(pledge: Pledge, facts) -> list[dict]:
    """The rows of the claims about one pledge (every claim is about exactly one)."""
    ranks, intervals = pledge.ranks, pledge.intervals
    rows = []
    for c in pledge.claims:
        spans = intervals.get(c.claim_id)  # a report of progress may state no figure
        stated, readings = (spans.stated, spans.readings) if spans else (Interval(None, None), Interval(None, None))
        rows.append({
            "claim_id": c.claim_id, "source_id": c.source_id, "fact_id": c.fact, "subject": c.subject,
            "metric": c.metric, "value": c.value, "value_to": c.value_to, "unit": c.unit, "qualifier": c.qualifier,
            "stated_low": stated.low, "stated_high": stated.high, "readings_low": readings.low,
            "readings_high": readings.high, "attribution": c.attribution, "target_date": c.target_date,
            "target_text": c.target, "country": facts[c.fact].country, "quote": c.quote, "quote_start": c.start,
            "quote_end": c.end, "rank": ranks[c.claim_id][0], "rank_reason": ranks[c.claim_id][1],
            "progress": c.progress, "inferred": c.inferred, "note": c.note,
        })
    return rows


def check_rows(findings: Iterable[Finding]) -> list[dict]:
    return [{"check_id": f.id, "kind": f.kind, "verdict": f.verdict, "severity": f.severity, "fact_id": f.fact_id,
             "source_id": f.source_id, "claim_ids": ";".join(f.claim_ids), "expected": f.expected,
             "found": f.found, "explanation": f.explanation} for f in findings]


def _converted(bound: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if bound is None else (bound * factor).quantize(WHOLE)


def advice(pledge: Pledge) -> str:
    """The print advice of a pledge (pledges.wording), from its status and the sources stating it."""
    names = ", ".join(sorted({c.source_id[:3] for c in pledge.claims if c.claim_id == pledge.headline.claim_id}))
    same = same_figure(pledge.figures, pledge.headline)
    caveat = ""
    for finding in pledge.findings:
        if finding.kind == "total" and pledge.headline.claim_id in finding.claim_ids:
            caveat = total_caveat(finding.verdict, pledge.headline_words, finding.expected)
    reporting = len({c.source_id for c in pledge.figures})
    unsure = [f for f in pledge.findings if f.verdict == "cannot tell" and f.kind != "total" and f.source_id]
    doubts = "".join(f" Source {f.source_id[:3]} writes {f.found}, which neither confirms nor contradicts it "
                     f"(check {f.id})." for f in unsure).strip()
    return print_advice(pledge.status, pledge.headline_words, pledge.number_words, len(pledge.stating),
                        reporting, f"source {names}", spread(same, lambda c: hedge_words(c.qualifier)),
                        independent=pledge.independent, caveat=caveat, doubts=doubts)


def link_words(relation: str, other: str, direction: str) -> str:
    """A link as the pledges table writes it: "in_addition_to amzn-fr-jobs-2024", "has_part x"."""
    if direction == "out":
        return f"{relation} {other}"
    return f"{vocabulary.current().attribute('relations', relation, 'inverse', relation)} {other}"


def link_rows(pledge: Pledge, context: Context) -> list[dict]:
    """The rows of data/links.csv a fact owns: its own links, each with the claim that states it."""
    terms = vocabulary.current()
    return [{"link_id": f"{pledge.fact.id}/{link.relation}/{link.fact}", "fact_id": pledge.fact.id,
             "relation": link.relation, "other_fact_id": link.fact, "claim_id": link.claim,
             "explanation": f"{pledge.fact.id} {terms.attribute('relations', link.relation, 'words')} {link.fact}, "
                            f"as claim {link.claim} states it."}
            for link in pledge.fact.links]


def pledge_row(pledge: Pledge, context: Context) -> dict:
    fact, headline, stated, region_names = pledge.fact, pledge.headline, pledge.stated, context.region_names
    target = pledge.target.target_date if pledge.target else None
    progress = delivery(list(pledge.claims), target, context.as_of, context.published, context.names)
    country = pycountry.countries.get(alpha_2=fact.country) if fact.country else None
    iso_names = [pycountry.subdivisions.get(code=r).name for r in fact.regions]
    row = {
        "fact_id": fact.id, "label": fact.label, "kind": fact.kind, "scope": fact.scope, "subject": fact.subject,
        "metric": fact.metric, "value": headline.value, "value_to": headline.value_to, "unit": headline.unit,
        "qualifier": headline.qualifier, "stated_low": stated.low, "stated_high": stated.high,
        "status": pledge.status, "print_advice": advice(pledge),
        "country": fact.country, "country_name": country.name if country else "",
        "regions": ";".join(fact.regions), "region_names": "; ".join(iso_names),
        "region_names_en": "; ".join(region_names.get(r, n) for r, n in zip(fact.regions, iso_names)),
        "recipient": fact.recipient, "target_date": target,
        "announced": fact.announced, "announced_date_basis": fact.announced_date_basis,
        "announced_evidence": fact.announced_evidence, "headline_claim_id": headline.claim_id,
        "headline_basis": pledge.basis,
        "claim_ids": ";".join(c.claim_id for c in pledge.claims), "source_ids": ";".join(pledge.source_ids),
        "n_sources": len(pledge.source_ids), "n_stating": len(pledge.stating), "n_independent": pledge.independent,
        "check_ids": ";".join(sorted(f.id for f in pledge.findings)),
        "in_totals": "true" if context.counted.get(fact.id) else "false",
        "links": "; ".join(link_words(*found[:2], found[3]) for found in context.links[fact.id]),
        "delivery": progress.status, "delivery_progress": progress.progress,
        "delivery_claim_id": progress.claim.claim_id if progress.claim else None, "delivery_as_of": context.as_of,
        "delivery_note": progress.sentence,
    }
    if pledge.rate is not None:
        rate, unit = pledge.rate, headline.unit
        point = headline.value_to is None  # a range has no point amount, only its ends
        row["amount_eur"] = convert(headline.amount, unit, rate, "EUR") if point else None
        row["amount_usd"] = convert(headline.amount, unit, rate, "USD") if point else None
        to_eur, to_usd = rate.factor(unit, "EUR"), rate.factor(unit, "USD")
        row["amount_eur_low"], row["amount_eur_high"] = (_converted(b, to_eur) for b in _ends(stated))
        row["amount_usd_low"], row["amount_usd_high"] = (_converted(b, to_usd) for b in _ends(stated))
        row["eur_usd_rate"], row["rate_date"] = rate.usd_per_eur, rate.day
    return row


def total_rows(pledge: Pledge) -> list[dict]:
    """One row per report of a total: the figure a source states, its parts and the test against their sum."""
    rows = []
    claims = {c.claim_id: c for c in pledge.claims}
    for finding in (f for f in pledge.findings if f.kind == "total"):
        claim = claims[finding.claim_ids[0]]
        stated, readings = pledge.intervals[claim.claim_id].stated, pledge.intervals[claim.claim_id].readings
        parts = finding.parts
        assert parts is not None and parts.low is not None and parts.high is not None
        rows.append({
            "total_id": claim.claim_id, "fact_id": pledge.fact.id, "label": pledge.fact.label,
            "source_id": claim.source_id, "claim_ids": ";".join(finding.claim_ids), "value": claim.value,
            "value_to": claim.value_to, "unit": claim.unit, "qualifier": claim.qualifier,
            "stated_low": stated.low, "stated_high": stated.high, "readings_low": readings.low,
            "readings_high": readings.high, "parts": ";".join(pledge.fact.sum_of),
            "parts_low": parts.low.quantize(WHOLE), "parts_high": parts.high.quantize(WHOLE),
            "verdict": finding.verdict, "check_id": finding.id})
    return rows


def event_rows(found: list[Event]) -> list[dict]:
    """The rows of data/events.csv, each with its sums in a sentence."""
    rows = []
    for event in found:
        total = span_words(event.total, event.unit)
        if len(event.pledges) == 1:
            said = f"1 pledge ({event.pledges[0]}): its headline figure, {total}"
        else:
            said = f"{len(event.pledges)} pledges: the package's sum of their headline figures, hedges and all, {total}"
        if event.new is not None:
            said += f"; the words of their links (links.csv) state {span_words(event.new, event.unit)} of it as in " \
                    "addition to an earlier pledge"
        if event.unsaid:
            them = "it" if len(event.pledges) == 1 else ", ".join(event.unsaid)
            said += f"; no source ties {them} to an earlier pledge"
        if event.repeated:
            said += f"; {', '.join(event.repeated)} re-announce earlier pledges and are not in the sum"
        new = event.new or Interval(None, None)
        rows.append({"event_id": f"{event.scope}/{event.metric}/{event.unit}", "scope": event.scope,
                     "metric": event.metric, "unit": event.unit, "n_pledges": len(event.pledges),
                     "pledge_ids": ";".join(event.pledges), "total_low": event.total.low,
                     "total_high": event.total.high, "new_low": new.low, "new_high": new.high,
                     "repeated_ids": ";".join(event.repeated), "unsaid_ids": ";".join(event.unsaid),
                     "summary": said + "."})
    return rows


def topic_rows(tables: dict[str, tuple[Table, list[str]]]) -> list[dict]:
    """The rows of the topic tables, as published (cells as text), for the events' sums."""
    rows = []
    for name in vocabulary.current().topic_metrics():
        if name in tables:
            rows += list(csv.DictReader(io.StringIO("".join(tables[name][1]))))
    scopes = vocabulary.current()
    return [r for r in rows if scopes.attribute("scopes", r["scope"], "event") == "yes"]


# Every row of every table belongs to one owner: a source ("source:<id>") or a fact ("fact:<id>"),
# and depends on nothing but that owner's inputs (owner_stamps), so that a build renders only the
# rows of owners whose inputs changed and takes the others as the last build rendered them.

def fact_tables(pledge: Pledge, context: Context) -> dict[str, list[dict]]:
    """The rows one pledge owns, by table: its own row (in pledges and its topic table), its
    claims, its findings, its reported totals and its links."""
    row = pledge_row(pledge, context)
    tables = {"pledges": [row], "claims": claim_rows(pledge, context.facts), "checks": check_rows(pledge.findings),
              "totals": total_rows(pledge), "links": link_rows(pledge, context)}
    for name, metrics in vocabulary.current().topic_metrics().items():
        # A topic table holds pledges, which may be summed: no total beside its parts, no headcount.
        if row["metric"] in metrics and row["kind"] == "pledge":
            tables[name] = [row]
    return tables


def source_tables(source: Source, group: str) -> dict[str, list[dict]]:
    """The rows one source owns: its own, and the finding on its date if there is one."""
    return {"sources": [source_row(source, group)], "checks": check_rows(date_findings([source]))}


def owner_stamps(facts, sources: list[Source], source_keys: dict[str, str], groups: dict[str, str]) -> dict[str, str]:
    """Each owner's stamp, which changes whenever anything its rows are made from changes: a
    source's is its cache key (its annotation, its seed, the facts, the package's metadata, the
    code) and its group of copies; a fact's is made from the stamps of the sources that make claims
    about it, and for a total, its parts' stamps."""
    keys: dict[str, set[str]] = {}
    own = {s.source_id: f"{source_keys[s.source_id]}:{groups.get(s.source_id, s.source_id)}" for s in sources}
    for source in sources:
        for claim in source.claims:
            keys.setdefault(claim.fact, set()).add(own[source.source_id])
    stamps = {f"source:{s.source_id}": own[s.source_id] for s in sources}
    plain = {fact_id: hashlib.sha256("".join(sorted(ks)).encode()).hexdigest() for fact_id, ks in keys.items()}
    for fact_id, stamp in plain.items():  # the parts of a total are pledges, never totals
        parts = "".join(plain.get(part, "-") for part in facts[fact_id].sum_of)
        stamps[f"fact:{fact_id}"] = hashlib.sha256((stamp + parts).encode()).hexdigest() if parts else stamp
    return stamps




def layouts(schemas: dict[str, dict]) -> dict[str, tuple[list[str], list[int]]]:
    """Each table's column names, and the positions of the columns its rules across rows read."""
    kept = across(schemas)
    out = {}
    for name, schema in schemas.items():
        names = [f["name"] for f in schema["fields"]]
        out[name] = (names, [names.index(n) for n in kept[name]])
    return out


def as_rows(tables: dict[str, list[dict]], layout: dict[str, tuple[list[str], list[int]]]) -> dict[str, list[tuple]]:
    """Rows as written, by table: (cells in the columns the rules across rows read, the CSV line,
    all cells in the Table Schema's field order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    out: dict[str, list[tuple]] = {}
    for name, rows in tables.items():
        names, at = layout[name]
        out[name] = []
        for row in rows:
            cells = [cell(row[n]) for n in names]
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(cells)
            out[name].append((tuple(cells[i] for i in at), buffer.getvalue(), cells))
    return out


def collect(schemas: dict[str, dict], owned: dict[str, dict[str, list[tuple]]],
            only: list[str] | None = None) -> dict[str, tuple[Table, list[str]]]:
    """Every table (or those `only`), from the rows of each owner (as_rows, or as kept by the cache
    without their cells): for the contract, and as its lines sorted by primary key, header first.
    The cells kept are those of the rows rendered by this build."""
    out = {}
    for name, schema in schemas.items():
        if only is not None and name not in only:
            continue
        names = [f["name"] for f in schema["fields"]]
        width = len(schema["primaryKey"])
        rows = [row for rows in owned.values() for row in rows.get(name, ())]
        rows.sort(key=lambda row: row[0][:width])
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(names)
        table = Table(names, [row[0] for row in rows],
                      {number: row[2] for number, row in enumerate(rows, start=1) if len(row) > 2})
        out[name] = (table, [header.getvalue()] + [row[1] for row in rows])
    return out






