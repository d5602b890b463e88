"""Every figure as an interval: one rule (pledges.reading.intervals), a case for each hedge and precision."""

import csv
from decimal import Decimal as D

import pytest
from conftest import ROOT

from pledges.inputs.records import Claim
from pledges.reading.intervals import Interval, claim_intervals, interval


@pytest.mark.parametrize("value, unit, qualifier, low, high", [
    ("1.3e9", "USD", "unhedged", "1.25e9", "1.35e9"),     # "$1.3bn": half a unit of the last digit each way
    ("4e9", "EUR", "unhedged", "3.5e9", "4.5e9"),         # "4 milliards"
    ("25000", "gpus", "unhedged", "24500", "25500"),      # trailing zeros are rounding
    ("2500", "startups", "unhedged", "2450", "2550"),
    ("45", "percent", "unhedged", "44.5", "45.5"),        # a percentage to the point
    ("100", "percent", "unhedged", "99.5", "100"),        # and never above 100%
    ("1.2e9", "EUR", "about", "1.1e9", "1.3e9"),          # about: off by a unit of its last place
    ("1e6", "people", "nearly", "5e5", "1e6"),            # nearly: below, rounding to it
    ("3000", "jobs", "more_than", "3000", None),          # more than: open above
    ("1e10", "USD", "at_least", "1e10", None),            # "$10 billion+"
    ("25000", "gpus", "up_to", None, "25000"),            # up to: open below
    ("3", "jobs", "about", "2", "4"),
])
def test_bounds_follow_the_precision_written_and_the_hedge(value, unit, qualifier, low, high):
    bounds = interval(D(value), unit, qualifier)
    assert (bounds.low, bounds.high) == (low and D(low), high and D(high))


def test_which_ends_are_included_is_what_each_hedge_says():
    assert interval(D(3000), "jobs", "more_than").contains(D(3000)) is False
    assert interval(D(3000), "jobs", "at_least").contains(D(3000)) is True
    assert interval(D(25000), "gpus", "up_to").contains(D(25000)) is True
    assert interval(D(10**6), "people", "nearly").contains(D(10**6)) is False
    assert interval(D("1.3e9"), "USD", "unhedged").contains(D("1.35e9")) is False


def test_a_number_in_digits_alone_is_read_to_the_thousand_at_most():
    assert interval(D(20000), "gpus", "unhedged", in_digits=True) == Interval(D(19500), D(20500))
    assert interval(D(20000), "gpus", "unhedged") == Interval(D(15000), D(25000))  # "20 mila", "vingt mille"
    assert interval(D(300), "jobs", "unhedged", in_digits=True) == Interval(D(250), D(350))


def test_decimals_written_set_the_precision_even_when_they_are_zeros():
    assert interval(D("4.3e9"), "USD", "unhedged", step=D("1e7")) == Interval(D("4.295e9"), D("4.305e9"))


def test_a_range_runs_from_the_low_bound_of_its_lower_end_to_the_high_bound_of_its_upper_end():
    bounds = interval(D("1.2e9"), "EUR", "unhedged", value_to=D("1.5e9"))
    assert (bounds.low, bounds.high) == (D("1.15e9"), D("1.55e9"))


def test_nothing_counted_is_below_zero():
    assert interval(D(1), "jobs", "about").low == 0


def test_over_and_nearly_the_same_figure_share_no_value_while_each_fits_the_figure_as_written():
    over, nearly, plain = (interval(D(10**6), "people", q) for q in ("more_than", "nearly", "unhedged"))
    assert not over.overlaps(nearly)
    assert over.overlaps(plain) and nearly.overlaps(plain)


def _claim(quote: str, value: str, unit: str, qualifier: str, value_to: str | None = None) -> Claim:
    return Claim(id="c01", source_id="000_x", fact="f", quote=quote, start=0, end=len(quote), subject="S",
                 metric="investment", value=D(value), unit=unit, qualifier=qualifier, target="", target_date=None,
                 inferred="", note="", line=1, value_to=D(value_to) if value_to else None)


def test_the_precision_comes_from_the_words_of_the_quote():
    hedged, written = claim_intervals(_claim("more than $4.30 billion", "4.3e9", "USD", "more_than"), "en")
    assert (hedged.low, hedged.high) == (D("4.3e9"), None)
    assert (written.low, written.high) == (D("4.295e9"), D("4.305e9"))


def read(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cell(bound) -> str:
    return "" if bound is None else format(bound.normalize(), "f")


def test_every_claim_row_has_the_bounds_the_rule_gives_its_quote():
    languages = {s["source_id"]: s["language"] for s in read("sources")}
    for row in read("claims"):
        claim = _claim(row["quote"], row["value"], row["unit"], row["qualifier"], row["value_to"] or None)
        bounds, _ = claim_intervals(claim, languages[row["source_id"]])
        assert (row["value_low"], row["value_high"]) == (cell(bounds.low), cell(bounds.high)), row["claim_id"]


def test_every_pledge_interval_lies_within_its_preferred_claims_bounds():
    claims = {c["claim_id"]: c for c in read("claims")}
    for row in read("pledges"):
        preferred = claims[row["preferred_claim_id"]]
        for end, inside in (("low", lambda a, b: a >= b), ("high", lambda a, b: a <= b)):
            if preferred[f"value_{end}"]:
                assert row[f"value_{end}"] and inside(D(row[f"value_{end}"]), D(preferred[f"value_{end}"])), row["fact_id"]
        assert not row["value_low"] or D(row["value_low"]) <= D(row["value"])
        assert not row["value_high"] or D(row["value"]) <= D(row["value_high"])
