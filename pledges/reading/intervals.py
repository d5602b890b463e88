"""Every figure as an interval: the one rule that turns a figure as written into bounds.

A source writes a figure to some precision and with some hedge; like Wikidata's quantities (an
amount with a lower and an upper bound), each claim and each pledge gets `value_low` and
`value_high`, an empty cell being an open bound. The rule:

1. **Precision written** (the step): the place of the last decimal written ("$1.30bn": USD 0.01bn),
   else of the last non-zero digit ("$1.3bn": 0.1bn; "4 milliards": 1bn; "six billion": 1bn), as
   trailing zeros are read as rounding; but a number written in digits alone is read to the
   thousand at most ("25,000" and "20,000": 1,000; "300": 100), since a writer who rounds further
   writes a scale word ("20 thousand", "a million"). A percentage is read to the point at least
   ("100%": 1 point). How the figure is written comes from the figure reader (pledges.reading.numbers)
   reading the quote; a claim whose value its quote does not state (`inferred:`) uses its value.
2. **Hedge** (the qualifier), for a figure v with step s:
   - unhedged: [v - s/2, v + s/2), the figure rounded as written ("$1.3bn" is [1.25bn, 1.35bn));
   - about:    [v - s, v + s], a figure that may be off by a unit of its last place;
   - nearly:   [v - s/2, v), below the figure but rounding to it;
   - more_than: (v, open); at_least: [v, open); up_to: (open, v].
3. **Ranges** ("EUR 1.2-1.5bn") run from the low bound of their lower end to the high bound of
   their upper end, each read as above.
4. Nothing counted is below zero, and no share above 100%.

Findings (pledges.checks.reconcile) test these intervals: whether a claim's interval contains the
figure it should equal, whether two claims' intervals overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pledges.reading.numbers import quote_figures

HALF = Decimal("0.5")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Interval:
    """[low, high) with open ends where a hedge opens them; None is an open (unbounded) end."""

    low: Decimal | None
    high: Decimal | None
    low_included: bool = True
    high_included: bool = False

    def contains(self, x: Decimal) -> bool:
        above = self.low is None or x > self.low or (self.low_included and x == self.low)
        below = self.high is None or x < self.high or (self.high_included and x == self.high)
        return above and below

    def overlaps(self, other: Interval) -> bool:
        return _before(self.low, self.low_included, other.high, other.high_included) and \
            _before(other.low, other.low_included, self.high, self.high_included)

    def intersection(self, other: Interval) -> Interval | None:
        if not self.overlaps(other):
            return None
        low, low_in = max_bound(self.low, self.low_included, other.low, other.low_included)
        high, high_in = min_bound(self.high, self.high_included, other.high, other.high_included)
        return Interval(low, high, low_in, high_in)

    def written(self, describe) -> str:
        """"[EUR 3.5bn, EUR 4.5bn)", "more than USD 10bn", with `describe(value)` for each bound."""
        left = "[" if self.low_included else "("
        right = "]" if self.high_included else ")"
        if self.high is None:
            return f"{'at least' if self.low_included else 'more than'} {describe(self.low)}"
        if self.low is None:
            return f"{'at most' if self.high_included else 'less than'} {describe(self.high)}"
        return f"{left}{describe(self.low)}, {describe(self.high)}{right}"


def _before(low, low_included, high, high_included) -> bool:
    """Whether a lower bound lies below an upper bound (so that something lies between)."""
    if low is None or high is None:
        return True
    return low < high or (low == high and low_included and high_included)


def max_bound(a, a_in, b, b_in):
    if a is None:
        return b, b_in
    if b is None or a > b:
        return a, a_in
    return (b, b_in) if b > a else (a, a_in and b_in)


def min_bound(a, a_in, b, b_in):
    if a is None:
        return b, b_in
    if b is None or a < b:
        return a, a_in
    return (b, b_in) if b < a else (a, a_in and b_in)


def last_digit(value: Decimal) -> Decimal:
    """The place of the last non-zero digit: 4.3e9 -> 1e8, 4e9 -> 1e9, 25000 -> 1000."""
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


THOUSAND = Decimal(1000)


def step_of(value: Decimal, unit: str, written: Decimal | None = None, in_digits: bool = False) -> Decimal:
    """The precision written (rule 1)."""
    step = written if written is not None else min(last_digit(value), THOUSAND) if in_digits else last_digit(value)
    return min(step, Decimal(1)) if unit == "percent" else step


def interval(value: Decimal, unit: str, qualifier: str, value_to: Decimal | None = None,
             step: Decimal | None = None, in_digits: bool = False) -> Interval:
    """The bounds of a figure (rules 2 to 4); `step` is the place of the last decimal written and
    `in_digits` whether the figure is written in digits alone, where the reader says so."""
    s = step_of(value, unit, step, in_digits)
    if value_to is not None:
        low = interval(value, unit, qualifier, step=step, in_digits=in_digits)
        high = interval(value_to, unit, qualifier, in_digits=in_digits)
        return _capped(Interval(low.low, high.high, low.low_included, high.high_included), unit)
    bounds = {
        "unhedged": Interval(value - s * HALF, value + s * HALF),
        "about": Interval(value - s, value + s, True, True),
        "nearly": Interval(value - s * HALF, value),
        "more_than": Interval(value, None, False),
        "at_least": Interval(value, None, True),
        "up_to": Interval(None, value, True, True),
    }
    return _capped(bounds[qualifier], unit)


def _capped(bounds: Interval, unit: str) -> Interval:
    low, low_in, high, high_in = bounds.low, bounds.low_included, bounds.high, bounds.high_included
    if low is not None and low < ZERO:
        low, low_in = ZERO, True
    if unit == "percent" and (high is None or high > HUNDRED):
        high, high_in = HUNDRED, True
    return Interval(low, high, low_in, high_in)


def claim_intervals(claim, language: str) -> tuple[Interval, Interval]:
    """A claim's bounds with its hedge, and its number alone (read unhedged), each with the
    precision its quote writes the figure to."""
    figure = next((f for f in quote_figures(claim.quote, language)
                   if f.value == claim.value and f.value_to == claim.value_to), None)
    written = (figure.step, figure.in_digits) if figure else (None, False)
    return (interval(claim.value, claim.unit, claim.qualifier, claim.value_to, *written),
            interval(claim.value, claim.unit, "unhedged", claim.value_to, *written))
