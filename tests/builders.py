"""Records the tests build for themselves: facts, claims and sources with only what a test sets."""

from datetime import date
from decimal import Decimal as D

from pledges.inputs.records import Claim, Fact, Source

DAY = date(2024, 5, 13)  # ECB: 1.0795 USD per EUR


def fact(fid: str, unit: str = "EUR", metric: str = "investment", sum_of=(), kind: str = "pledge",
         day: date = DAY) -> Fact:
    return Fact(id=fid, label=fid, subject="Acme", metric=metric, unit=unit, country="FR", regions=(), recipient="",
                announced=day, announced_date_basis="stated", announced_evidence="test", sum_of=tuple(sum_of), line=1,
                kind=kind, scope="related")


def claim(source: str, cid: str, fid: str, quote: str, value: str, unit: str, qualifier: str = "unhedged",
          metric: str = "investment", start: int = 0, target: str = "", value_to: str = "",
          attribution: str = "reporter") -> Claim:
    return Claim(id=cid, source_id=source, fact=fid, quote=quote, start=start, end=start + len(quote), subject="Acme",
                 metric=metric, value=D(value), unit=unit, qualifier=qualifier, target=target,
                 target_date=date.fromisoformat(target) if target else None, inferred="", note="", line=1,
                 value_to=D(value_to) if value_to else None, attribution=attribution)


def source(sid: str, *claims: Claim, published=DAY, earliest=None, latest=None, basis="stated") -> Source:
    return Source(source_id=sid, file=f"{sid}.yaml", seed=f"{sid}.txt", sha256="0", publisher="", title="",
                  language="en", published=published, date_basis=basis, date_evidence="words", author="", url="",
                  notes="", claims=tuple(claims), not_claims=(), text="",
                  published_earliest=earliest or published, published_latest=latest or published)
