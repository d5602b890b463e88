"""Where a pledge stands over time, as of the package's version date (package.yaml `date:`, never
the clock, so that a build is the same whenever it runs).

A claim may report progress rather than state the pledge (`progress:` delivered, partly
delivered, under construction, operational, delayed, cancelled; with its figure where the source
gives one). A pledge's delivery is then, in this order: the latest progress its sources report
(by the reporting source's publication date), with its evidence; "deadline passed, no report" when
its deadline is before the version date and no source reports progress; "not yet due"; or "no
deadline" when no source gives one. Each comes with a sentence a reporter can print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pledges.inputs.records import Claim
from pledges.wording import figure, progress_words


@dataclass(frozen=True)
class Delivery:
    status: str  # a value of the registry's `deliveries`
    progress: str  # the progress reported, when status is "reported"
    claim: Claim | None  # the claim that reports it
    sentence: str


def delivery(claims: list[Claim], target: date | None, as_of: date, published: dict[str, date | None],
             names: dict[str, str]) -> Delivery:
    """The delivery of a pledge from its claims (progress reports among them), its deadline, the
    version date, and each source's publication date and name."""
    reports = [c for c in claims if c.progress]
    if reports:
        latest = max(reports, key=lambda c: (published.get(c.source_id) or date.min, c.claim_id))
        day = published.get(latest.source_id)
        words = progress_words(latest.progress)
        amount = f" ({figure(latest.value, latest.unit, latest.qualifier, latest.value_to)})" \
            if latest.value is not None else ""
        when = f" on {day}" if day else " (its date is not known)"
        return Delivery("reported", latest.progress, latest,
                        f"{names.get(latest.source_id, latest.source_id)} reports it {words}{amount}{when}.")
    if target is None:
        return Delivery("no deadline", "", None, "No source gives a deadline.")
    if target > as_of:
        return Delivery("not yet due", "", None, f"Due by {target}; not yet due as of {as_of}.")
    return Delivery("deadline passed, no report", "", None,
                    f"The deadline, {target}, has passed (as of {as_of}), and no source in the package reports "
                    "whether it was met.")
