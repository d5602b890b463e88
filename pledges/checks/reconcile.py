"""Reconcile the claims about each pledge: the headline a table shows, and how far sources agree.

**Headline** (one rule, docs/methodology.md): among the claims in the unit the pledge was announced
in (its original currency), the wording (value, upper end, hedge) of the company's own words where
sources quote or cite them (`attribution: company`) and those words agree; otherwise the wording
most sources use, each source voting once, a tie going to the earliest claim id; and among the
claims of the wording chosen, one in the company's words where there is one. A pledge publishes
the headline claim's figure, hedge and stated interval, never an interval no source states. Its
deadline is chosen the same way among the claims that give one. Like Wikidata's ranks, claims
saying exactly the headline are `preferred`, claims that agree in other words (a conversion,
another hedge, a coarser rounding) `normal`, and claims that contradict it `deprecated`.

**Findings**: every comparison is a test of a claim's readings interval (every value its digits
could stand for, pledges.reading.intervals), the one its row shows, and a Finding (a row of
data/checks.csv) with a verdict: consistent, inconsistent, or cannot tell.

- **value**: a claim of another figure in the pledge's unit: inconsistent when its readings and
  the headline's share no value; cannot tell when they do.
- **qualifier**: hedges of the headline figure: inconsistent when no value fits both ("over a
  million" and "nearly a million"); that is a difference of hedges, not of figures.
- **conversion** and **currency**: a claim in another currency against two readings, the figure it
  stands for converted at the ECB rate of the announcement date, and the same number relabelled
  with the other sign; the verdict says which readings its readings interval holds.
- **total**: a reported total against the sum of the pledges it combines, each at the ECB rate of
  its own announcement: consistent when the total's readings hold the sum of the figures as
  written (an interval where a part is a range), cannot tell when they hold it only through a
  part's hedge ("more than") or also hold the same source's total in another currency, converted;
  inconsistent otherwise.
- **target**: sources giving different deadlines; **date**: a publication date the text fixes only
  by inference, or only to a range of days.

**Status**, from the findings: `conflicting` (figures, currencies, deadlines or sums that cannot
all be true), `hedges differ`, `single source`, `corroborated`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pledges import vocabulary
from pledges.checks.rates import EcbRates, Rate, currency_name
from pledges.inputs.records import Claim, Fact, Source
from pledges.reading.intervals import ClaimIntervals, Interval, claim_intervals
from pledges.wording import describe, figure, hedge_words, progress_words, span_words


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
    parts: Interval | None = None  # for a total: the sum of its parts' figures as written, in its unit

    @property
    def severity(self) -> str:
        return vocabulary.current().severity(self.verdict)

    @property
    def contradicts(self) -> bool:
        """An inconsistent finding about figures, currencies, deadlines or sums (not about hedges)."""
        return self.verdict == "inconsistent" and self.kind != "qualifier"


@dataclass(frozen=True)
class Pledge:
    fact: Fact
    claims: tuple[Claim, ...]  # sorted by claim id
    headline: Claim
    basis: str  # why the headline is this claim's wording
    rate: Rate | None  # for money only
    intervals: dict[str, ClaimIntervals] = field(default_factory=dict)  # claim id -> its intervals
    target: Claim | None = None  # the claim whose deadline the pledge shows
    findings: tuple[Finding, ...] = ()
    ranks: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim id -> (rank, reason)
    # source id -> its group of copies (pledges.checks.independence)
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def figures(self) -> list[Claim]:
        """The claims that state the pledge (not the reports of its progress)."""
        return [c for c in self.claims if not c.progress]

    @property
    def source_ids(self) -> list[str]:
        return sorted({c.source_id for c in self.claims})

    @property
    def independent(self) -> int:
        """How many independent groups of articles state the pledge (copies of one article are one)."""
        return len({self.groups.get(c.source_id, c.source_id) for c in self.figures})

    @property
    def stating(self) -> list[str]:
        """The sources with a claim of the headline's number in its unit, whatever the hedge or rank."""
        h = self.headline
        said = (h.unit, h.value, h.value_to)
        return sorted({c.source_id for c in self.figures if (c.unit, c.value, c.value_to) == said})

    @property
    def stated(self) -> Interval:
        return self.intervals[self.headline.claim_id].stated

    @property
    def status(self) -> str:
        if any(f.contradicts for f in self.findings):
            return "conflicting"
        if any(f.kind == "qualifier" and f.verdict == "inconsistent" for f in self.findings):
            return "hedges differ"
        return "single source" if self.independent == 1 else "corroborated"

    @property
    def headline_words(self) -> str:
        h = self.headline
        return figure(h.amount, h.unit, h.qualifier, h.value_to)

    @property
    def number_words(self) -> str:
        h = self.headline
        return figure(h.amount, h.unit, "unhedged", h.value_to)


def _wording(claim: Claim) -> tuple:
    return claim.value, claim.value_to, claim.qualifier


def _votes(claims: list[Claim], key) -> tuple[Claim, int]:
    """The claim whose `key` most sources state (each source once), and how many; a tie goes to the
    earliest claim."""
    votes = Counter({key(c): 0 for c in claims})
    for value, _source in {(key(c), c.source_id) for c in claims}:
        votes[value] += 1
    most = max(votes.values())
    return next(c for c in claims if votes[key(c)] == most), most


def headline_claim(fact: Fact, claims: list[Claim]) -> tuple[Claim, str]:
    """The claim whose wording the pledge publishes, and why (the rule in this module's docstring)."""
    candidates = [c for c in claims if c.unit == fact.unit] or claims
    company = [c for c in candidates if c.attribution == "company"]
    reporting = len({c.source_id for c in candidates})
    if company and len({_wording(c) for c in company}) == 1:
        who = sorted({c.source_id[:3] for c in company})
        quoting = (f"sources {', '.join(who)} quote or cite them" if len(who) > 1
                   else f"source {who[0]} quotes or cites them")
        return company[0], f"the company's own words, as {quoting}"
    chosen, votes = _votes(candidates, _wording)
    chosen = next((c for c in candidates if _wording(c) == _wording(chosen) and c.attribution == "company"), chosen)
    if reporting == 1:
        basis = "the wording of the only source"
    else:
        basis = f"the wording most sources use ({votes} of {reporting})"
    if company:
        basis += ", as the company's words differ from source to source"
    return chosen, basis


def target_claim(claims: list[Claim]) -> Claim | None:
    """The claim whose deadline the pledge shows: the company's where sources quoting it agree,
    else the one most sources give, among the claims that give one."""
    dated = [c for c in claims if c.target_date]
    company = [c for c in dated if c.attribution == "company"]
    if company and len({c.target_date for c in company}) == 1:
        return company[0]
    return _votes(dated, lambda c: c.target_date)[0] if dated else None


def _groups(claims) -> dict[tuple, list[Claim]]:
    """Claims of one source stating the same figure, so that a repeated mention is one finding."""
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.source_id, claim.value, claim.value_to, claim.unit), []).append(claim)
    return groups


def _ids(group: list[Claim], *more: Claim) -> tuple[str, ...]:
    return tuple(dict.fromkeys([c.claim_id for c in group] + [c.claim_id for c in more]))


def _show(span: Interval, unit: str) -> str:
    return span.written(lambda v: describe(v, unit))


def _read(written: str, span: Interval, unit: str) -> str:
    """How an explanation names a claim: its figure and its readings interval, as its row shows it."""
    return f"{written} (readings {_show(span, unit)})"


def _currency_findings(fact: Fact, claims: list[Claim], headline: Claim, rate: Rate | None, intervals):
    """Each claim in another currency against two readings: a conversion of the figure it stands
    for at the ECB rate, and the same number with the other currency's sign."""
    # A source that writes both currencies side by side ("$1.3bn (€1.2bn)") converts its own figure.
    pairs: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.unit == headline.unit:
            pairs.setdefault((claim.source_id, claim.start, claim.end), claim)
    currencies = vocabulary.current().currencies
    for (source_id, value, value_to, unit), group in _groups(c for c in claims if c.unit != headline.unit).items():
        if rate is None or unit not in currencies:
            continue
        pair = pairs.get((source_id, group[0].start, group[0].end))
        original = pair or headline
        number = intervals[original.claim_id].figure
        factor = rate.factor(original.unit, unit)
        converted, relabelled = number.times(factor), number
        stands = figure(original.amount, original.unit, "unhedged", original.value_to)
        on = f"the ECB rate of {rate.day} ({rate.written(original.unit, unit)})"
        conversion = f"{stands} converted at {on}, {_show(converted, unit)}"
        sign = f"the number of {stands} with a {currency_name(unit)} sign, {_show(relabelled, unit)}"
        span = intervals[group[0].claim_id].readings
        written = _read(figure(value, unit, "unhedged", value_to), span, unit)
        expected = f"{_show(converted, unit)} ({stands} at {rate.written(original.unit, unit)})"
        found = figure(value, unit, "unhedged", value_to)
        ids = _ids(group, *([pair] if pair else []))
        held = [label for label, reading in ((conversion, converted), (sign, relabelled)) if span.overlaps(reading)]
        if len(held) == 2:
            yield Finding(f"currency/{group[0].claim_id}", "currency", "cannot tell", expected, found,
                          f"{written} holds two readings: {conversion}, or {sign}. The precision written "
                          "cannot tell which; the first agrees with the pledge, the second would be the "
                          f"{currency_name(original.unit)} figure under another currency.", fact.id, source_id, ids)
        elif held == [conversion]:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "consistent", expected, found,
                          f"{written} holds {conversion}, and not {sign}.", fact.id, source_id, ids)
        elif held:
            yield Finding(f"currency/{group[0].claim_id}", "currency", "inconsistent", expected, found,
                          f"{written} holds {sign}, and not {conversion}.", fact.id, source_id, ids)
        else:
            yield Finding(f"conversion/{group[0].claim_id}", "conversion", "inconsistent", expected, found,
                          f"{written} holds neither {conversion} nor {sign}.", fact.id, source_id, ids)


def _value_findings(fact: Fact, claims: list[Claim], headline: Claim, intervals):
    """Claims of another figure in the pledge's unit: do their readings and the headline's meet?"""
    reference = intervals[headline.claim_id].readings
    unit = headline.unit
    stated = _read(figure(headline.amount, unit, "unhedged", headline.value_to), reference, unit)
    for (source_id, value, value_to, _unit), group in _groups(c for c in claims if c.unit == unit).items():
        if (value, value_to) == (headline.value, headline.value_to):
            continue
        span = intervals[group[0].claim_id].readings
        written = _read(figure(value, unit, "unhedged", value_to), span, unit)
        expected, found = figure(headline.amount, unit, "unhedged", headline.value_to), figure(value, unit, "unhedged",
                                                                                             value_to)
        if span.overlaps(reference):
            yield Finding(f"value/{group[0].claim_id}", "value", "cannot tell", expected, found,
                          f"{written} and {stated} share values: at the precision written they cannot be told apart.",
                          fact.id, source_id, _ids(group))
        else:
            yield Finding(f"value/{group[0].claim_id}", "value", "inconsistent", expected, found,
                          f"{written} and {stated} share no value.", fact.id, source_id, _ids(group))


def spread(claims: list[Claim], key) -> str:
    """How many sources say what: "no hedge: 3 sources (000, 002, 003); nearly: 1 source (004)"."""
    by_value: dict[str, set[str]] = {}
    for claim in claims:
        by_value.setdefault(key(claim), set()).add(claim.source_id[:3])
    parts = []
    for value, sources in sorted(by_value.items(), key=lambda item: (-len(item[1]), item[0])):
        noun = "source" if len(sources) == 1 else "sources"
        parts.append(f"{value}: {len(sources)} {noun} ({', '.join(sorted(sources))})")
    return "; ".join(parts)


def same_figure(claims: list[Claim], headline: Claim) -> list[Claim]:
    """The claims of the headline's number in its unit, whatever their hedge."""
    return [c for c in claims if (c.unit, c.value, c.value_to) == (headline.unit, headline.value, headline.value_to)]


def _hedge_findings(fact: Fact, claims: list[Claim], headline: Claim, intervals):
    """Hedges of the headline figure: inconsistent when no value fits two of them."""
    same = same_figure(claims, headline)
    qualifiers = sorted({c.qualifier for c in same})
    if len(qualifiers) < 2:
        return
    unit = headline.unit
    first = {q: next(c for c in same if c.qualifier == q) for q in qualifiers}
    clashes = [(a, b) for i, a in enumerate(qualifiers) for b in qualifiers[i + 1:]
               if not intervals[first[a].claim_id].allows.overlaps(intervals[first[b].claim_id].allows)]
    number = figure(headline.amount, unit, "unhedged", headline.value_to)

    def show(q):
        spans = intervals[first[q].claim_id]
        return f"{hedge_words(q)} (stated {_show(spans.stated, unit)}; readings {_show(spans.readings, unit)})"

    said = spread(same, lambda c: hedge_words(c.qualifier))
    if clashes:
        pairs = "; ".join(f"{show(a)} against {show(b)}" for a, b in clashes)
        yield Finding(f"qualifier/{fact.id}", "qualifier", "inconsistent", hedge_words(headline.qualifier), said,
                      f"Sources state {number} with hedges that no single value fits: {pairs}. They agree on the "
                      "figure and differ on the hedge.",
                      fact.id, "", tuple(c.claim_id for c in same if any(c.qualifier in p for p in clashes)))
    else:
        yield Finding(f"qualifier/{fact.id}", "qualifier", "consistent", hedge_words(headline.qualifier), said,
                      f"Sources hedge {number} differently, and some values fit every hedge: "
                      f"{'; '.join(show(q) for q in qualifiers)}.",
                      fact.id, "", tuple(c.claim_id for c in same if c.qualifier != headline.qualifier))


def _target_findings(fact: Fact, claims: list[Claim], target: Claim | None):
    dated = [c for c in claims if c.target_date]
    if target is not None and len({c.target_date for c in dated}) > 1:
        yield Finding(f"target/{fact.id}", "target", "inconsistent", str(target.target_date),
                      spread(dated, lambda c: str(c.target_date)),
                      "Sources give different deadlines for this pledge; the table shows the company's where sources "
                      "quote it, else the one most sources give.",
                      fact.id, "", tuple(c.claim_id for c in dated if c.target_date != target.target_date))


def total_findings(total: Pledge, parts: list[Pledge], rates: EcbRates) -> list[Finding]:
    """Each report of a total, in the unit it is written in, against the sum of the pledges it
    combines (each converted at the ECB rate of its own announcement), never against other
    reports of the same total."""
    findings = []
    groups = _groups(total.claims)
    by_source: dict[str, list[tuple]] = {}  # each source's reports, so that none is compared with every other
    for key in groups:
        by_source.setdefault(key[0], []).append(key)
    money = vocabulary.current().currencies
    for (source_id, value, value_to, unit), group in groups.items():
        figures, stated, terms, hedged, undated = Interval.point(Decimal(0)), Interval.point(Decimal(0)), [], [], []
        for part in parts:
            factor = Decimal(1)
            if unit in money and part.headline.unit != unit:
                if part.fact.announced is None:  # no day, no ECB rate: the part cannot be converted
                    undated.append(part.fact.id)
                    continue
                factor = rates.on(part.fact.announced, (unit, part.headline.unit)).factor(part.headline.unit, unit)
            number = part.intervals[part.headline.claim_id].figure.times(factor)
            figures = figures + number
            stated = stated + part.stated.times(factor)
            hedge = part.headline.qualifier
            terms.append(f"{_show(number, unit)} ({part.fact.id})")
            hedged.append(f"{'' if hedge == 'unhedged' else hedge_words(hedge) + ' '}{_show(number, unit)} "
                          f"({part.fact.id})")
        span = total.intervals[group[0].claim_id].readings
        written = _read(figure(value, unit, "unhedged", value_to), span, unit)
        summed = f"the sum of the figures of the pledges it combines, {_show(figures, unit)} = {' + '.join(terms)}"
        competing = []
        for _, other_value, other_to, other_unit in by_source[source_id]:
            if other_unit != unit and unit in money and other_unit in money and total.fact.announced is not None:
                rate = rates.on(total.fact.announced, (unit, other_unit))
                other = Interval.point(other_value, other_to).times(rate.factor(other_unit, unit))
                if span.overlaps(other):
                    competing.append(f"this source's own {figure(other_value, other_unit, 'unhedged', other_to)} "
                                     f"converted at the ECB rate of {rate.day} ({rate.written(other_unit, unit)}), "
                                     f"{_show(other, unit)}")
        if undated:
            verdict = "cannot tell"
            said = (f"{written} cannot be set against the sum of its parts: {', '.join(undated)} "
                    f"{'has' if len(undated) == 1 else 'have'} no announcement day, so no ECB rate converts "
                    f"{'it' if len(undated) == 1 else 'them'} to {unit}.")
        elif span.overlaps(figures) and competing:
            verdict = "cannot tell"
            said = (f"{written} holds {summed}, but also {' and '.join(competing)}: the precision written cannot "
                    "tell them apart, so it neither confirms nor contradicts the sum.")
        elif span.overlaps(figures):
            verdict, said = "consistent", f"{written} holds {summed}."
        elif span.overlaps(stated):
            verdict = "cannot tell"
            said = (f"{written} does not hold {summed}; it fits only through a hedge of a part (with their hedges "
                    f"the pledges add up to {span_words(stated, unit)}), at a figure no source states.")
        else:
            verdict = "inconsistent"
            said = (f"{written} does not hold {summed}, nor anything the parts' hedges allow "
                    f"({span_words(stated, unit)}).")
        # what the parts add up to as their words state them, hedges and all
        findings.append(Finding(f"total/{group[0].claim_id}", "total", verdict,
                                f"{span_words(stated, unit)}: {' + '.join(hedged)}",
                                figure(value, unit, "unhedged", value_to),
                                said + " Rates are the ECB's of each pledge's announcement.",
                                total.fact.id, source_id, _ids(group), figures))
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
                                    "a publication date stated in the text",
                                    f"{source.published} inferred from {evidence!r}",
                                    f"The article states no date; {evidence!r} fixes it to {source.published}.",
                                    source_id=source.source_id))
    return findings


def _ranks(pledge: Pledge) -> dict[str, tuple[str, str]]:
    headline = pledge.headline
    against = {cid: f for f in pledge.findings if f.contradicts for cid in f.claim_ids}
    hedges = {cid: f for f in pledge.findings if f.kind == "qualifier" and f.verdict == "inconsistent"
              for cid in f.claim_ids}
    told = {cid: f for f in pledge.findings if f.verdict == "cannot tell" for cid in f.claim_ids}
    ranks = {}
    for claim in pledge.claims:
        cid, total = claim.claim_id, pledge.fact.kind == "total"
        if claim.progress:
            ranks[cid] = ("normal",
                          f"a report of progress ({progress_words(claim.progress)}), not the pledge's figure")
            continue
        same = (claim.unit, claim.value, claim.value_to) == (headline.unit, headline.value, headline.value_to)
        if cid in against and (total or not same):
            ranks[cid] = ("deprecated", against[cid].explanation)
        elif cid in told:
            ranks[cid] = ("normal",
                          f"cannot be told from another reading at the precision written (check {told[cid].id})")
        elif cid in hedges:
            ranks[cid] = ("normal", f"the headline figure, hedged {hedge_words(claim.qualifier)!r}, where other "
                                    f"sources hedge it otherwise (check {hedges[cid].id})")
        elif same and claim.qualifier == headline.qualifier:
            ranks[cid] = ("preferred", "states the headline figure and hedge")
        elif claim.unit != headline.unit:
            ranks[cid] = ("normal", f"the headline figure in {currency_name(claim.unit, plural=True)}, "
                                    "consistent at the precision written")
        elif claim.qualifier == "unhedged":
            ranks[cid] = ("normal", "the headline figure, with no hedge")
        else:
            ranks[cid] = ("normal", f"the headline figure, hedged {hedge_words(claim.qualifier)!r}")
    return ranks


def reconcile(facts: dict[str, Fact], sources: list[Source], rates: EcbRates,
              only: set[str] | None = None, groups: dict[str, str] | None = None) -> list[Pledge]:
    """The pledge of each fact that has claims; with `only`, of those facts and the parts of the
    totals among them (a total is judged against its parts). `groups`: each source's group of
    copies, so that copies of one article count once."""
    by_fact: dict[str, list[Claim]] = {}
    intervals: dict[str, ClaimIntervals] = {}
    wanted = None if only is None else only | {part for fact_id in only for part in facts[fact_id].sum_of}
    for source in sources:
        for claim in source.claims:
            if wanted is None or claim.fact in wanted:
                by_fact.setdefault(claim.fact, []).append(claim)
                if claim.value is not None:
                    intervals[claim.claim_id] = claim_intervals(claim, source.language)
    for claims in by_fact.values():
        claims.sort(key=lambda c: c.claim_id)
    pledges: dict[str, Pledge] = {}
    for fact_id in sorted(by_fact):
        fact, every = facts[fact_id], by_fact[fact_id]
        claims = [c for c in every if not c.progress] or every  # reports of progress are not the figure
        headline, basis = headline_claim(fact, claims)
        own = {c.claim_id: intervals[c.claim_id] for c in every if c.claim_id in intervals}
        rate = rates.on(fact.announced, {c.unit for c in claims}) \
            if fact.metric == "investment" and fact.announced is not None else None
        target = target_claim(claims)
        findings = [*_hedge_findings(fact, claims, headline, own), *_target_findings(fact, claims, target)]
        if fact.kind != "total":  # a total is judged against its parts, below, not against other totals
            findings[:0] = [*_value_findings(fact, claims, headline, own),
                            *_currency_findings(fact, claims, headline, rate, own)]
        pledges[fact_id] = Pledge(fact, tuple(every), headline, basis, rate, own, target, tuple(findings),
                                  groups=groups or {})
    for fact_id, pledge in pledges.items():
        if pledge.fact.sum_of:
            totals = total_findings(pledge, [pledges[part] for part in pledge.fact.sum_of], rates)
            pledges[fact_id] = replace(pledge, findings=(*pledge.findings, *totals))
    return [replace(p, ranks=_ranks(p)) for p in pledges.values()]
