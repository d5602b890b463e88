"""The records the annotations are read into: facts, claims, not-claims and sources.

Every later stage (checks, reconciliation, tables, suggestions) takes these, never YAML nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Link:
    """How a fact relates to another (a vocabulary `relations` value), as a claim's words state it."""

    relation: str
    fact: str  # the other fact
    claim: str  # the claim id (source id, a hyphen, claim id) whose quote states the relation
    line: int


@dataclass(frozen=True)
class Correction:
    """A correction of an input, kept as data: what was wrong, what replaces it, why and when. The
    build checks that the input still says `now`, so a corrected value is never changed again
    unseen."""

    id: str
    date: date | None
    target: str  # "claim <claim id>", "fact <fact id>" or "source <source id>"
    field: str
    was: str
    now: str
    why: str
    by: str  # annotators, or publisher (the source itself was corrected upstream)
    line: int


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    subject: str
    metric: str
    unit: str
    country: str
    regions: tuple[str, ...]
    recipient: str
    announced: date | None  # the day the company announced it; None when not known
    announced_date_basis: str  # stated, inferred, external (from outside the sources) or unknown
    announced_evidence: str  # the words or reasoning the date rests on
    sum_of: tuple[str, ...]
    line: int
    kind: str = "pledge"  # pledge, statement (a figure that already is, such as a headcount) or total
    scope: str = ""  # choose_france_2024, or related (another country, an earlier deal)
    links: tuple[Link, ...] = ()  # how it relates to other facts (part of, in addition to, repeats, revises)


@dataclass(frozen=True)
class Claim:
    id: str  # as written in the annotation, unique within its source
    source_id: str
    fact: str
    quote: str
    start: int | None
    end: int | None
    subject: str
    metric: str
    value: Decimal | None
    unit: str
    qualifier: str
    target: str
    target_date: date | None
    inferred: str
    note: str
    line: int
    value_to: Decimal | None = None  # the upper end of a range the quote states ("1.2-1.5bn")
    attribution: str = "reporter"  # whose words the figure stands in: company, other or reporter
    progress: str = ""  # for a report of progress (delivered, delayed...), not the pledge's own figure

    @property
    def claim_id(self) -> str:
        return f"{self.source_id}-{self.id}"

    @property
    def amount(self) -> Decimal:
        """The figure, for a claim that states one (all but some reports of progress)."""
        if self.value is None:
            raise ValueError(f"claim {self.claim_id} states no figure")
        return self.value


@dataclass(frozen=True)
class NotClaim:
    """Words of a seed that look like a figure but state no claim, with the annotator's reason."""

    text: str
    start: int | None
    reason: str
    line: int

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + len(self.text)


@dataclass(frozen=True)
class Source:
    source_id: str
    file: str  # the annotation file, relative to the package root
    seed: str
    sha256: str
    publisher: str
    title: str
    language: str
    published: date | None  # the day, when the text fixes one
    date_basis: str
    date_evidence: str
    author: str
    url: str
    notes: str
    claims: tuple[Claim, ...]
    not_claims: tuple[NotClaim, ...]
    text: str | None = field(default=None, repr=False)  # None when the seed could not be read
    published_earliest: date | None = None  # the days the text allows (an EDTF interval in the annotation)
    published_latest: date | None = None
