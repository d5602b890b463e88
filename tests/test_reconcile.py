"""Consensus, status and conversion: the rule in the README, applied to the five seeds."""

import csv
from decimal import Decimal

import pytest
from conftest import ROOT

from pledges.checks.rates import EcbRates
from pledges.checks.reconcile import target_claim
from pledges.inputs.records import Claim
from pledges.reading.intervals import last_digit

RATE = Decimal("1.0795")  # ECB, 2024-05-13


def pledges() -> dict[str, dict]:
    with open(ROOT / "data/pledges.csv", encoding="utf-8", newline="") as f:
        return {row["fact_id"]: row for row in csv.DictReader(f)}


def test_ecb_rate_of_the_announcement_day_comes_from_the_shipped_history():
    from datetime import date

    rate = EcbRates().on(date(2024, 5, 13))
    assert (rate.usd_per_eur, rate.day) == (RATE, date(2024, 5, 13))


def test_weekend_announcement_uses_the_previous_ecb_working_day():
    from datetime import date

    assert EcbRates().on(date(2024, 5, 12)).day == date(2024, 5, 10)


@pytest.mark.parametrize("value, place", [("4.3e9", "1e8"), ("4e9", "1e9"), ("1.3e9", "1e8"), ("25000", "1e3")])
def test_precision_is_the_last_digit_written(value, place):
    assert last_digit(Decimal(value)) == Decimal(place)


def _claim(cid: str, source: str, target: str | None) -> Claim:
    from datetime import date
    return Claim(id=cid, source_id=source, fact="f", quote="q", start=0, end=1, subject="S", metric="jobs",
                 value=Decimal(1), unit="jobs", qualifier="unhedged", target="by then" if target else "",
                 target_date=date.fromisoformat(target) if target else None, inferred="", note="", line=1)


def test_the_deadline_is_the_one_most_sources_give_ignoring_claims_silent_on_it():
    claims = [_claim("c1", "000_a", None), _claim("c2", "001_b", "2027-12-31"), _claim("c3", "002_c", None),
              _claim("c4", "003_d", "2027-12-31"), _claim("c5", "004_e", "2026-12-31")]
    assert target_claim(claims).target_date.isoformat() == "2027-12-31"
    assert target_claim([_claim("c1", "000_a", None)]) is None


def test_a_source_repeating_a_deadline_votes_once_and_a_tie_goes_to_the_earliest_claim():
    claims = [_claim("c1", "000_a", "2026-12-31"), _claim("c2", "001_b", "2027-12-31"),
              _claim("c3", "001_b", "2027-12-31")]
    assert target_claim(claims).claim_id == "000_a-c1"


@pytest.mark.data
def test_investment_amounts_are_the_headline_converted_exactly_at_the_recorded_rate():
    with open(ROOT / "data/investments.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["unit"] not in ("EUR", "USD") or row["value_to"]:
            continue
        rate, value = Decimal(row["eur_usd_rate"]), Decimal(row["value"])
        stated, other = ("amount_eur", "amount_usd") if row["unit"] == "EUR" else ("amount_usd", "amount_eur")
        assert Decimal(row[stated]) == value, row["fact_id"]
        exact = value * rate if other == "amount_usd" else value / rate
        assert abs(Decimal(row[other]) - exact) <= Decimal("0.5"), row["fact_id"]
        for end in ("low", "high"):
            bound, amount = row[f"stated_{end}"], row[f"{other}_{end}"]
            assert (bound == "") == (amount == "")
            if bound:
                factor = rate if other == "amount_usd" else 1 / rate
                assert abs(Decimal(amount) - Decimal(bound) * factor) <= 1, row["fact_id"]
