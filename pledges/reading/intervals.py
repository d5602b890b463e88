"""What a figure as written allows: two intervals per claim, named apart.

Like Wikidata's quantities (an amount with a lower and an upper bound, each stated or absent,
never invented), every claim carries two intervals; an empty end is an open one.

- **Stated** (`stated_low`, `stated_high`): what the words commit to, and nothing more. An unhedged
  figure is exactly its value (both ends equal); a range has its two ends; a hedge opens or closes
  one side: "more than" and "at least" have no upper end, "up to" and "nearly" no lower end, and
  "about" commits to no bound at all. This is the interval to chart and to publish as a pledge's
  bounds: no bound in it is one that no source states.
- **Readings** (`readings_low`, `readings_high`): every value the digits written could stand for,
  which is what the checks compare. It is the rounding interval of the figure at the precision
  written, widened by the approximate hedges ("about", "approximately", "around", "circa",
  "environ"; "nearly", "près de", "quasi") by one documented tolerance:
  1. *Precision written* (the step s): the place of the last decimal written ("$1.30bn": 0.01bn),
     else of the last non-zero digit ("$1.3bn": 0.1bn; "4 milliards": 1bn), trailing zeros being
     read as rounding; but digits alone (no scale word) are read to the thousand at most ("25,000":
     1,000; "300": 100), and a percentage to the point at least.
  2. *Rounding*: [v - s/2, v + s/2) ("$1.3bn" is [1.25bn, 1.35bn)); a range from the low end of
     its lower figure to the high end of its upper one. Directional hedges (more than, at least,
     up to) do not change the readings: they are in the stated interval.
  3. *Tolerance*: "about v" is (v - s, v + s), half a step wider on each side than the rounding,
     ends excluded: the figures one step away are what a writer meaning them would have written.
     "Nearly v" is (v - s, v + s/2): widened below only.
  4. Nothing counted is below zero, and no share above 100%.

A third interval, what a claim *allows* (its readings, with the side a directional hedge opens
left open, and cut at the figure by "nearly"), is used only to tell whether two hedges of one
figure can both hold ("over a million" and "nearly a million" cannot); it is not published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pledges.inputs.records import Claim
from pledges.reading.numbers import quote_figures

HALF = Decimal("0.5")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
APPROXIMATE = ("about", "nearly")  # the hedges that widen the readings


@dataclass(frozen=True)
class Interval:
    """[low, high) by default; None is an open (unbounded) end; the flags say which ends are in."""

    low: Decimal | None
    high: Decimal | None
    low_included: bool = True
    high_included: bool = False

    @staticmethod
    def point(value: Decimal, to: Decimal | None = None) -> Interval:
        return Interval(value, value if to is None else to, True, True)

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
        low, low_in = _max_bound(self.low, self.low_included, other.low, other.low_included)
        high, high_in = _min_bound(self.high, self.high_included, other.high, other.high_included)
        return Interval(low, high, low_in, high_in)

    def __add__(self, other: Interval) -> Interval:
        """The sum of two intervals: every x + y with x in one and y in the other."""
        low = None if self.low is None or other.low is None else self.low + other.low
        high = None if self.high is None or other.high is None else self.high + other.high
        return Interval(low, high, self.low_included and other.low_included,
                        self.high_included and other.high_included)

    def times(self, factor: Decimal) -> Interval:
        """The interval scaled by a positive factor (a conversion at a rate)."""
        return Interval(None if self.low is None else self.low * factor,
                        None if self.high is None else self.high * factor, self.low_included, self.high_included)

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high

    def written(self, describe) -> str:
        """"[EUR 3.5bn, EUR 4.5bn)", "more than USD 10bn", "EUR 4bn", "no bound", with
        `describe(value)` for each end."""
        if self.low is None and self.high is None:
            return "no bound"
        if self.is_point:
            return describe(self.low)
        if self.high is None:
            return f"{'at least' if self.low_included else 'more than'} {describe(self.low)}"
        if self.low is None:
            return f"{'at most' if self.high_included else 'less than'} {describe(self.high)}"
        left, right = "[" if self.low_included else "(", "]" if self.high_included else ")"
        return f"{left}{describe(self.low)}, {describe(self.high)}{right}"


def _before(low, low_included, high, high_included) -> bool:
    """Whether a lower end lies below an upper end (so that something lies between)."""
    if low is None or high is None:
        return True
    return low < high or (low == high and low_included and high_included)


def _max_bound(a, a_in, b, b_in):
    if a is None:
        return b, b_in
    if b is None or a > b:
        return a, a_in
    return (b, b_in) if b > a else (a, a_in and b_in)


def _min_bound(a, a_in, b, b_in):
    if a is None:
        return b, b_in
    if b is None or a < b:
        return a, a_in
    return (b, b_in) if b < a else (a, a_in and b_in)


def last_digit(value: Decimal) -> Decimal:
    """The place of the last non-zero digit: 4.3e9 -> 1e8, 4e9 -> 1e9, 25000 -> 1000."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    return Decimal(1).scaleb(exponent)


def step_of(value: Decimal, unit: str, written: Decimal | None = None, in_digits: bool = False) -> Decimal:
    """The precision written (rule 1)."""
    step = written if written is not None else min(last_digit(value), THOUSAND) if in_digits else last_digit(value)
    return min(step, Decimal(1)) if unit == "percent" else step


def stated(value: Decimal, qualifier: str, value_to: Decimal | None = None) -> Interval:
    """What the words commit to: exactly the figure, its range, or the side its hedge states."""
    top = value if value_to is None else value_to
    return {
        "unhedged": Interval(value, top, True, True),
        "about": Interval(None, None),
        "nearly": Interval(None, top, True, False),
        "more_than": Interval(value, None, False),
        "at_least": Interval(value, None, True),
        "up_to": Interval(None, top, True, True),
    }[qualifier]


def readings(value: Decimal, unit: str, qualifier: str, value_to: Decimal | None = None,
             step: Decimal | None = None, in_digits: bool = False) -> Interval:
    """Every value the digits written could stand for (rules 1 to 4)."""
    low_step = step_of(value, unit, step, in_digits)
    top = value if value_to is None else value_to
    high_step = low_step if value_to is None else step_of(value_to, unit, None, in_digits)
    if qualifier == "about":
        span = Interval(value - low_step, top + high_step, False, False)
    elif qualifier == "nearly":
        span = Interval(value - low_step, top + high_step * HALF, False, False)
    else:
        span = Interval(value - low_step * HALF, top + high_step * HALF)
    return _capped(span, unit)


def allows(value: Decimal, unit: str, qualifier: str, value_to: Decimal | None = None,
           step: Decimal | None = None, in_digits: bool = False) -> Interval:
    """What a hedged figure allows (for comparing hedges only): its readings, opened on the side a
    directional hedge opens and cut at the figure by "nearly"."""
    span = readings(value, unit, qualifier, value_to, step, in_digits)
    words = stated(value, qualifier, value_to)
    if qualifier in ("more_than", "at_least"):
        return _capped(Interval(words.low, None, words.low_included), unit)
    if qualifier == "up_to":
        return _capped(Interval(None, words.high, True, True), unit)
    if qualifier == "nearly":
        return span.intersection(words) or span
    return span


def _capped(bounds: Interval, unit: str) -> Interval:
    low, low_in, high, high_in = bounds.low, bounds.low_included, bounds.high, bounds.high_included
    if low is None or low < ZERO:
        low, low_in = ZERO, True
    if unit == "percent" and (high is None or high > HUNDRED):
        high, high_in = HUNDRED, True
    return Interval(low, high, low_in, high_in)


@dataclass(frozen=True)
class ClaimIntervals:
    """A claim's intervals: stated (published, charted), readings (published, checked), the figure
    as written (the number or range, no hedge, no rounding), and what its hedge allows."""

    stated: Interval
    readings: Interval
    figure: Interval
    allows: Interval


def claim_intervals(claim: Claim, language: str) -> ClaimIntervals:
    """The intervals of a claim, with the precision its quote writes the figure to (the figure
    reader's; a claim whose value its quote does not state uses its value)."""
    assert claim.value is not None
    found = next((f for f in quote_figures(claim.quote, language)
                  if f.value == claim.value and f.value_to == claim.value_to), None)
    step, in_digits = (found.step, found.in_digits) if found else (None, False)
    args = (claim.value, claim.unit, claim.qualifier, claim.value_to, step, in_digits)
    return ClaimIntervals(stated(claim.value, claim.qualifier, claim.value_to), readings(*args),
                          Interval.point(claim.value, claim.value_to), allows(*args))
