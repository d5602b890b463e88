"""Reconcile the claims about each pledge: the value a table shows, and how far sources agree.

Consensus rule (also in the README): among the claims stated in the unit the pledge was
announced in (its original currency), take the (value, qualifier) stated by the most sources,
each source voting once; a tie goes to the earliest claim id. The pledge's deadline is, likewise,
the one most sources give among the claims that give one. Like Wikidata's ranks, the claims
saying exactly the consensus are `preferred`, claims that agree in other words (a conversion,
another hedge, a coarser rounding) are `normal`, and claims that contradict it are `deprecated`,
with the reason.

Every comparison is an interval test (pledges.reading.intervals) and a Finding (a row of data/checks.csv)
with one verdict: consistent, inconsistent, or cannot tell (the precision written is too coarse
to tell apart the values in question). Numbers are compared at the precision written, hedges by
the intervals they give:

- **value**: a claim of another value in the pledge's unit is inconsistent when the two figures,
  each read at its precision, share no value; when they do, the coarser cannot tell them apart.
- **qualifier**: hedges of the same figure are inconsistent when no value fits both ("over a
  million" and "nearly a million").
- **conversion** and **currency**: a claim in another currency is tested against two readings,
  the pledge converted at the ECB rate of the announcement date, and the same number relabelled
  with the other currency sign; the verdict says which readings its precision admits.
- **total**: a reported total is tested against the sum of the pledges it combines (each
  converted at the ECB rate of its own announcement), never against other reports of the total;
  the same source's total in another currency, converted, is the competing reading.
- **target**: sources giving different deadlines; **date**: a publication date the text does
  not fix to one day.

A pledge's figure is the number announced: the tests ask whether a claim's interval holds it.
A pledge's status follows from its findings: conflicting if any is inconsistent, else single
source or corroborated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from babel.numbers import get_currency_name

from pledges.checks.rates import EcbRates, Rate, currency_name
from pledges.inputs.records import Claim, Fact, Source
from pledges.reading.intervals import Interval, claim_intervals
from pledges.tables.schemas import currencies
from pledges.wording import HEDGE_WORDS, describe

CURRENCIES = currencies()
















VERDICTS = {"consistent": "info", "cannot tell": "warning", "inconsistent": "conflict"}


@dataclass(frozen=True)
class Finding:
    """One consistency finding: a row of data/checks.csv."""

    id: str
    kind: str
    verdict: str  # consistent, inconsistent or cannot tell
    expected: str
    found: str
    explanation: str
    fact_id: str = ""
    source_id: str = ""
    claim_ids: tuple[str, ...] = ()
    parts_sum: Decimal | None = None  # for a total: the sum of its parts, in its currency

    @property
    def severity(self) -> str:
        return VERDICTS[self.verdict]


@dataclass(frozen=True)
class Pledge:
    fact: Fact
    claims: tuple[Claim, ...]  # sorted by claim id
    preferred: Claim
    rate: Rate | None  # for money only
    bounds: dict[str, Interval] = field(default_factory=dict)  # claim id -> its interval, hedge included
    numbers: dict[str, Interval] = field(default_factory=dict)  # claim id -> its number at the precision written
    target: Claim | None = None  # the claim whose deadline is the consensus one
    findings: tuple[Finding, ...] = ()
    ranks: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim id -> (rank, reason)

    @property
    def source_ids(self) -> list[str]:
        return sorted({c.source_id for c in self.claims})

    @property
    def status(self) -> str:
        if any(f.verdict == "inconsistent" for f in self.findings):
            return "conflicting"
        return "single source" if len(self.source_ids) == 1 else "corroborated"

    @property
    def consensus(self) -> Interval:
        """What all claims in the pledge's unit that are not deprecated allow together; where
        their hedges contradict each other (no value fits them all), the preferred claim's."""
        together: Interval | None = self.bounds[self.preferred.claim_id]
        for claim in self.claims:
            if claim.unit == self.preferred.unit and self.ranks.get(claim.claim_id, ("",))[0] != "deprecated":
                together = together and together.intersection(self.bounds[claim.claim_id])
        return together or self.bounds[self.preferred.claim_id]


def _votes(claims: list[Claim], key) -> Claim:
    """The claim whose `key` most sources state (each source once); a tie goes to the earliest claim."""
    votes = Counter({key(c): 0 for c in claims})
    for value, _source in {(key(c), c.source_id) for c in claims}:
        votes[value] += 1
    most = max(votes.values())
    return next(c for c in claims if votes[key(c)] == most)


def preferred_claim(fact: Fact, claims: list[Claim]) -> Claim:
    return _votes([c for c in claims if c.unit == fact.unit] or claims, lambda c: (c.value, c.qualifier))


def target_claim(claims: list[Claim]) -> Claim | None:
    """The claim with the deadline most sources give, among the claims that give one."""
    dated = [c for c in claims if c.target_date]
    return _votes(dated, lambda c: c.target_date) if dated else None


def _groups(claims) -> dict[tuple, list[Claim]]:
    """Claims of one source stating the same figure, so that a repeated mention is one finding."""
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.source_id, claim.value, claim.value_to, claim.unit), []).append(claim)
    return groups


def _ids(group: list[Claim], *more: Claim) -> tuple[str, ...]:
    return tuple(dict.fromkeys([c.claim_id for c in group] + [c.claim_id for c in more]))


def _readings(written: str, span: Interval, unit: str, readings: list[tuple[str, Decimal]]) -> tuple[list[str], str]:
    """Which of the named readings (label, value) the interval `span` of a figure holds."""
    held = [label for label, value in readings if span.contains(value)]
    at = f"{written}, read at the precision written ({span.written(lambda v: describe(v, unit))})"
    return held, at


def _currency_findings(fact: Fact, claims: list[Claim], preferred: Claim, rate: Rate | None, numbers):
    """Each claim in another currency against two readings: a conversion of the figure it stands
    for at the ECB rate, and the same number with the other currency's sign."""
    # A source that writes both currencies side by side ("$1.3bn (€1.2bn)") converts its own figure.
    pairs: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.unit == preferred.unit:
            pairs.setdefault((claim.source_id, claim.start, claim.end), claim)
    for (source_id, value, _to, unit), group in _groups(c for c in claims if c.unit != preferred.unit).items():
        if rate is None or unit not in CURRENCIES:
            continue
        pair = pairs.get((source_id, group[0].start, group[0].end))
        original = pair or preferred
        converted = original.value * rate.factor(original.unit, unit)
        written = describe(value, unit)
        stands = describe(original.value, original.unit)
        on = f"the ECB rate of {rate.day} ({rate.written(original.unit, unit)})"
        conversion = f"{stands} converted at {on}, {describe(converted, unit)}"
        relabelled = f"the number of {stands} with a {currency_name(unit)} sign, {describe(original.value, unit)}"
        held, at = _readings(written, numbers[group[0].claim_id], unit,
                             [(conversion, converted), (relabelled, original.value)])
        expected = f"{describe(converted, unit)} ({stands} at {rate.written(original.unit, unit)})"
        ids = _ids(group, *([pair] if pair else []))
        if len(held) == 2:
            yield Finding(f"currency/{group[0].claim_id}", "currency", "cannot tell", expected, written,
                          f"{at} holds two readings: {conversion}, or {relabelled}. The precision written "
                          "cannot tell which; the first agrees with the pledge, the second would be the "
                          f"{currency_name(original.unit)} figure under another currency.", fact.id, source_id, ids)
        elif held == [conversion]:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "consistent", expected, written,
                          f"{at} holds {conversion}, and not {relabelled}.", fact.id, source_id, ids)
        elif held:
            yield Finding(f"currency/{group[0].claim_id}", "currency", "inconsistent", expected, written,
                          f"{at} holds {relabelled}, and not {conversion}.", fact.id, source_id, ids)
        else:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "inconsistent", expected, written,
                          f"{at} holds neither {conversion} nor {relabelled}.", fact.id, source_id, ids)


def _value_findings(fact: Fact, claims: list[Claim], preferred: Claim, numbers):
    """Claims of another value in the pledge's unit: do the two figures, at their precision, meet?"""
    reference = numbers[preferred.claim_id]
    for (source_id, value, value_to, unit), group in _groups(c for c in claims if c.unit == preferred.unit).items():
        if (value, value_to) == (preferred.value, preferred.value_to):
            continue
        span = numbers[group[0].claim_id]
        written, stated = describe(value, unit), describe(preferred.value, unit)
        show = lambda i: i.written(lambda v: describe(v, unit))  # noqa: E731
        if span.overlaps(reference):
            yield Finding(f"value/{group[0].claim_id}", "value", "cannot tell", stated, written,
                          f"{written} ({show(span)} at the precision written) and {stated} ({show(reference)}) "
                          "share values: at the precision written they cannot be told apart.",
                          fact.id, source_id, _ids(group))
        else:
            yield Finding(f"value/{group[0].claim_id}", "value", "inconsistent", stated, written,
                          f"{written} ({show(span)} at the precision written) and {stated} ({show(reference)}) "
                          "share no value.", fact.id, source_id, _ids(group))


def _spread(claims: list[Claim], key) -> str:
    """How many sources say what: "no hedge: 3 sources (000, 002, 003); nearly: 1 source (004)"."""
    by_value: dict[str, set[str]] = {}
    for claim in claims:
        by_value.setdefault(key(claim), set()).add(claim.source_id[:3])
    parts = []
    for value, sources in sorted(by_value.items(), key=lambda item: (-len(item[1]), item[0])):
        noun = "source" if len(sources) == 1 else "sources"
        parts.append(f"{value}: {len(sources)} {noun} ({', '.join(sorted(sources))})")
    return "; ".join(parts)




def _hedge_findings(fact: Fact, claims: list[Claim], preferred: Claim, bounds: dict[str, Interval]):
    """Hedges of the pledge's figure: contradictory when no value fits two of them."""
    same = [c for c in claims if c.unit == preferred.unit and (c.value, c.value_to) == (preferred.value, preferred.value_to)]
    qualifiers = sorted({c.qualifier for c in same})
    if len(qualifiers) < 2:
        return
    unit = preferred.unit
    first = {q: next(c for c in same if c.qualifier == q) for q in qualifiers}
    clashes = [(a, b) for i, a in enumerate(qualifiers) for b in qualifiers[i + 1:]
               if not bounds[first[a].claim_id].overlaps(bounds[first[b].claim_id])]
    show = {q: f"{HEDGE_WORDS[q]} ({bounds[first[q].claim_id].written(lambda v: describe(v, unit))})" for q in qualifiers}
    if clashes:
        pairs = "; ".join(f"{show[a]} and {show[b]}" for a, b in clashes)
        yield Finding(f"qualifier/{fact.id}", "qualifier", "inconsistent", HEDGE_WORDS[preferred.qualifier],
                      _spread(same, lambda c: HEDGE_WORDS[c.qualifier]),
                      f"Sources hedge {describe(preferred.value, unit)} in ways no value fits together: {pairs}.",
                      fact.id, "", tuple(c.claim_id for c in same if any(c.qualifier in p for p in clashes)))
    else:
        yield Finding(f"qualifier/{fact.id}", "qualifier", "consistent", HEDGE_WORDS[preferred.qualifier],
                      _spread(same, lambda c: HEDGE_WORDS[c.qualifier]),
                      f"Sources hedge {describe(preferred.value, unit)} differently, and some values fit every "
                      f"hedge: {'; '.join(show[q] for q in qualifiers)}.",
                      fact.id, "", tuple(c.claim_id for c in same if c.qualifier != preferred.qualifier))


def _target_findings(fact: Fact, claims: list[Claim], target: Claim | None):
    dated = [c for c in claims if c.target_date]
    if target is not None and len({c.target_date for c in dated}) > 1:
        yield Finding(f"target/{fact.id}", "target", "inconsistent", str(target.target_date),
                      _spread(dated, lambda c: str(c.target_date)),
                      "Sources give different deadlines for this pledge; the table shows the one most sources give.",
                      fact.id, "", tuple(c.claim_id for c in dated if c.target_date != target.target_date))


def total_findings(total: Pledge, parts: list[Pledge], rates: EcbRates) -> list[Finding]:
    """Each reported total, in the currency it is written in, against the sum of the pledges it
    combines (each converted at the ECB rate of its own announcement), at the precision written.
    A total is never judged against other reports of the same total; the same source's total in
    another currency, converted, is the competing reading its precision may not rule out."""
    findings = []
    groups = _groups(total.claims)
    by_source: dict[str, list[tuple]] = {}  # each source's reports, so that none is compared with every other
    for key in groups:
        by_source.setdefault(key[0], []).append(key)
    for (source_id, value, _to, unit), group in groups.items():
        amounts = [part.preferred.value * rates.on(part.fact.announced, (unit, part.preferred.unit)).factor(
            part.preferred.unit, unit) for part in parts]
        summed = sum(amounts)
        terms = " + ".join(f"{describe(a, unit)} ({p.fact.id})" for a, p in zip(amounts, parts))
        written = describe(value, unit)
        sum_reading = f"the sum of the pledges it combines, {describe(summed, unit)}"
        readings = [(sum_reading, summed)]
        for _, other_value, _, other_unit in by_source[source_id]:
            if other_unit != unit:
                rate = rates.on(total.fact.announced, (unit, other_unit))
                readings.append((f"this source's own {describe(other_value, other_unit)} converted at the ECB rate "
                                 f"of {rate.day} ({rate.written(other_unit, unit)}), "
                                 f"{describe(other_value * rate.factor(other_unit, unit), unit)}",
                                 other_value * rate.factor(other_unit, unit)))
        held, at = _readings(written, total.numbers[group[0].claim_id], unit, readings)
        if sum_reading not in held:
            verdict, said = "inconsistent", f"{at} does not hold {sum_reading} ({terms})."
        elif len(held) > 1:
            verdict = "cannot tell"
            said = (f"{at} holds {sum_reading} ({terms}), but also {' and '.join(held[1:])}: the precision written "
                    "cannot tell them apart, so it neither confirms nor contradicts the sum.")
        else:
            verdict, said = "consistent", f"{at} holds {sum_reading} ({terms})."
        findings.append(Finding(f"total/{group[0].claim_id}", "total", verdict, f"{describe(summed, unit)} = {terms}",
                                written, said + " Rates are the ECB's of each pledge's announcement.",
                                total.fact.id, source_id, _ids(group), summed))
    return findings


def date_findings(sources: list[Source]) -> list[Finding]:
    findings = []
    for source in sources:
        evidence = source.date_evidence
        if source.date_basis == "unknown":
            findings.append(Finding(f"date/{source.source_id}", "date", "cannot tell",
                                    "a publication date stated in the text", f"only {evidence!r}",
                                    f"The article's date is unknown; it says only {evidence!r}.",
                                    source_id=source.source_id))
        elif source.published is None:
            findings.append(Finding(
                f"date/{source.source_id}", "date", "cannot tell", "a publication date stated in the text",
                f"{source.published_earliest}/{source.published_latest} inferred from {evidence!r}",
                f"The article states no date, and {evidence!r} fixes it only to a day from "
                f"{source.published_earliest} to {source.published_latest}.", source_id=source.source_id))
        elif source.date_basis == "inferred":
            findings.append(Finding(f"date/{source.source_id}", "date", "consistent",
                                    "a publication date stated in the text", f"{source.published} inferred from {evidence!r}",
                                    f"The article states no date; {evidence!r} fixes it to {source.published}.",
                                    source_id=source.source_id))
    return findings


def _ranks(pledge: Pledge) -> dict[str, tuple[str, str]]:
    preferred = pledge.preferred
    against = {cid: f for f in pledge.findings if f.verdict == "inconsistent" and f.kind != "qualifier"
               for cid in f.claim_ids}
    hedges = {cid: f for f in pledge.findings if f.kind == "qualifier" and f.verdict == "inconsistent"
              for cid in f.claim_ids}
    told = {cid: f for f in pledge.findings if f.verdict == "cannot tell" for cid in f.claim_ids}
    ranks = {}
    for claim in pledge.claims:
        cid, total = claim.claim_id, pledge.fact.kind == "total"
        same_figure = (claim.unit, claim.value, claim.value_to) == (preferred.unit, preferred.value, preferred.value_to)
        if cid in against and (total or not same_figure):
            ranks[cid] = ("deprecated", against[cid].explanation)
        elif cid in told:
            ranks[cid] = ("normal", f"cannot be told from another reading at the precision written (check {told[cid].id})")
        elif cid in hedges:
            ranks[cid] = ("normal", f"the consensus figure, hedged {HEDGE_WORDS[claim.qualifier]!r}, which another "
                                    f"source's hedge contradicts (check {hedges[cid].id})")
        elif same_figure and claim.qualifier == preferred.qualifier:
            ranks[cid] = ("preferred", "states the consensus figure and hedge")
        elif claim.unit != preferred.unit:
            ranks[cid] = ("normal", f"the consensus figure in {get_currency_name(claim.unit, count=2, locale='en')}, "
                                    "consistent at the precision written")
        elif claim.qualifier == "unhedged":
            ranks[cid] = ("normal", "the consensus figure, with no hedge")
        else:
            ranks[cid] = ("normal", f"the consensus figure, hedged {HEDGE_WORDS[claim.qualifier]!r}")
    return ranks


def reconcile(facts: dict[str, Fact], sources: list[Source], rates: EcbRates,
              only: set[str] | None = None) -> list[Pledge]:
    """The pledge of each fact that has claims; with `only`, of those facts and the parts of the
    totals among them (a total is judged against its parts)."""
    by_fact: dict[str, list[Claim]] = {}
    intervals: dict[str, tuple[Interval, Interval]] = {}  # each claim's, with its hedge and its number alone
    wanted = None if only is None else only | {part for fact_id in only for part in facts[fact_id].sum_of}
    for source in sources:
        for claim in source.claims:
            if wanted is None or claim.fact in wanted:
                by_fact.setdefault(claim.fact, []).append(claim)
                intervals[claim.claim_id] = claim_intervals(claim, source.language)
    for claims in by_fact.values():
        claims.sort(key=lambda c: c.claim_id)
    pledges: dict[str, Pledge] = {}
    for fact_id in sorted(by_fact):
        fact, claims = facts[fact_id], by_fact[fact_id]
        preferred = preferred_claim(fact, claims)
        bounds = {c.claim_id: intervals[c.claim_id][0] for c in claims}
        numbers = {c.claim_id: intervals[c.claim_id][1] for c in claims}
        rate = rates.on(fact.announced, {c.unit for c in claims}) if fact.metric == "investment" else None
        target = target_claim(claims)
        findings = [*_hedge_findings(fact, claims, preferred, bounds), *_target_findings(fact, claims, target)]
        if fact.kind != "total":  # a total is judged against its parts, below, not against other totals
            findings[:0] = [*_value_findings(fact, claims, preferred, numbers),
                            *_currency_findings(fact, claims, preferred, rate, numbers)]
        pledges[fact_id] = Pledge(fact, tuple(claims), preferred, rate, bounds, numbers, target, tuple(findings))
    for fact_id, pledge in pledges.items():
        if pledge.fact.sum_of:
            totals = total_findings(pledge, [pledges[part] for part in pledge.fact.sum_of], rates)
            pledges[fact_id] = replace(pledge, findings=(*pledge.findings, *totals))
    return [replace(p, ranks=_ranks(p)) for p in pledges.values()]
