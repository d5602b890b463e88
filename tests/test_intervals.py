"""Two intervals per claim (pledges.reading.intervals): what the words state, and what the digits could stand for."""

import csv
from decimal import Decimal as D

import pytest
from conftest import ROOT

from pledges.inputs.records import Claim
from pledges.reading.intervals import Interval, claim_intervals, readings, stated


@pytest.mark.parametrize("value, qualifier, value_to, low, high", [
    ("4e9", "unhedged", None, "4e9", "4e9"),            # an unhedged figure is exactly its value
    ("3e10", "unhedged", "5e10", "3e10", "5e10"),       # a range has its two ends
    ("3000", "more_than", None, "3000", None),          # more than: no upper end
    ("1e10", "at_least", None, "1e10", None),           # "$10 billion+"
    ("25000", "up_to", None, None, "25000"),            # up to: no lower end (not zero: no source says zero)
    ("1e6", "nearly", None, None, "1e6"),               # nearly: below the figure, no lower end
    ("2.07e10", "about", None, None, None),             # about: the words state no bound
])
def test_the_stated_interval_is_what_the_words_commit_to_and_nothing_more(value, qualifier, value_to, low, high):
    span = stated(D(value), qualifier, D(value_to) if value_to else None)
    assert (span.low, span.high) == (low and D(low), high and D(high))


def test_which_stated_ends_are_included_is_what_each_hedge_says():
    assert not stated(D(3000), "more_than").contains(D(3000)) and stated(D(3000), "at_least").contains(D(3000))
    assert stated(D(25000), "up_to").contains(D(25000)) and not stated(D(10**6), "nearly").contains(D(10**6))


@pytest.mark.parametrize("value, unit, qualifier, low, high", [
    ("1.3e9", "USD", "unhedged", "1.25e9", "1.35e9"),     # "$1.3bn": half a unit of the last digit each way
    ("4e9", "EUR", "unhedged", "3.5e9", "4.5e9"),         # "4 milliards"
    ("25000", "gpus", "unhedged", "24500", "25500"),      # trailing zeros are rounding
    ("100", "percent", "unhedged", "99.5", "100"),        # a percentage to the point, never above 100%
    ("3000", "jobs", "more_than", "2500", "3500"),        # a directional hedge leaves the digits' readings alone
    ("25000", "gpus", "up_to", "24500", "25500"),
    ("2.07e10", "USD", "about", "2.06e10", "2.08e10"),    # about: half a step wider each side, ends excluded
    ("1e6", "people", "nearly", "0", "1.5e6"),            # nearly: widened below only (and never below zero)
])
def test_readings_are_the_digits_at_their_precision_widened_by_approximate_hedges(value, unit, qualifier, low, high):
    span = readings(D(value), unit, qualifier)
    assert (span.low, span.high) == (D(low), D(high))


def test_about_excludes_the_neighbouring_figures_at_the_precision_written():
    about = readings(D("1.3e9"), "USD", "about")
    assert about.contains(D("1.2954e9")) and not about.contains(D("1.2e9")) and not about.contains(D("1.4e9"))


def test_digits_alone_are_read_to_the_thousand_and_decimals_written_set_the_step():
    assert readings(D(20000), "gpus", "unhedged", in_digits=True) == Interval(D(19500), D(20500))
    assert readings(D(20000), "gpus", "unhedged") == Interval(D(15000), D(25000))  # "20 mila"
    assert readings(D("4.3e9"), "USD", "unhedged", step=D("1e7")) == Interval(D("4.295e9"), D("4.305e9"))


def test_a_range_reads_from_the_low_end_of_its_lower_figure_to_the_high_end_of_its_upper_one():
    assert readings(D("3e10"), "EUR", "unhedged", D("5e10")) == Interval(D("2.5e10"), D("5.5e10"))


def test_intervals_add_end_to_end_and_an_open_end_stays_open():
    assert Interval.point(D(4)) + Interval(D(30), D(50), True, True) == Interval(D(34), D(54), True, True)
    assert (Interval.point(D(4)) + Interval(D("1.2"), None, False)).high is None


def _claim(quote: str, value: str, unit: str, qualifier: str, value_to: str | None = None) -> Claim:
    return Claim(id="c01", source_id="000_x", fact="f", quote=quote, start=0, end=len(quote), subject="S",
                 metric="investment", value=D(value), unit=unit, qualifier=qualifier, target="", target_date=None,
                 inferred="", note="", line=1, value_to=D(value_to) if value_to else None)


def test_the_precision_comes_from_the_words_of_the_quote():
    spans = claim_intervals(_claim("more than $4.30 billion", "4.3e9", "USD", "more_than"), "en")
    assert (spans.stated.low, spans.stated.high) == (D("4.3e9"), None)
    assert (spans.readings.low, spans.readings.high) == (D("4.295e9"), D("4.305e9"))


def read(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cell(bound) -> str:
    return "" if bound is None else format(bound.normalize(), "f")


@pytest.mark.data
def test_every_claim_row_has_the_intervals_the_rule_gives_its_quote():
    languages = {s["source_id"]: s["language"] for s in read("sources")}
    for row in read("claims"):
        claim = _claim(row["quote"], row["value"], row["unit"], row["qualifier"], row["value_to"] or None)
        spans = claim_intervals(claim, languages[row["source_id"]])
        assert (row["stated_low"], row["stated_high"]) == (cell(spans.stated.low), cell(spans.stated.high))
        assert (row["readings_low"], row["readings_high"]) == (cell(spans.readings.low), cell(spans.readings.high))


@pytest.mark.data
def test_every_pledge_publishes_its_headline_claims_stated_interval_and_no_other():
    claims = {c["claim_id"]: c for c in read("claims")}
    for row in read("pledges"):
        headline = claims[row["headline_claim_id"]]
        assert (row["stated_low"], row["stated_high"]) == (headline["stated_low"], headline["stated_high"])
        assert (row["value"], row["value_to"], row["qualifier"]) == \
            (headline["value"], headline["value_to"], headline["qualifier"])
