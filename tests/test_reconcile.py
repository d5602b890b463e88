"""Consensus, status and conversion: the rule in the README, applied to the five seeds."""

import csv
from decimal import Decimal

import pytest

from conftest import ROOT
from pledges.reconcile import EcbRates, is_conversion, precision

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
    assert precision(Decimal(value)) == Decimal(place)


@pytest.mark.parametrize("original, reported, consistent", [
    ("4e9", "4.3e9", True),    # "$4.3bn" for EUR 4bn: 4.318bn, right to one decimal
    ("4e9", "4e9", False),     # "$4bn": the euro figure relabelled, not a conversion
    ("4e9", "4.4e9", False),   # wrong at the precision written
    ("1.2e9", "1.3e9", True),  # "$1.3bn (€1.2bn)"
    ("5.5e9", "6e9", True),    # "€5.5 billion ($6 billion)"
])
def test_conversion_is_judged_at_the_precision_written(original, reported, consistent):
    assert is_conversion(Decimal(original), Decimal(reported), RATE) is consistent


def test_status_follows_the_findings_and_the_number_of_sources():
    checks = {}
    with open(ROOT / "data/checks.csv", encoding="utf-8", newline="") as f:
        checks = {row["check_id"]: row for row in csv.DictReader(f)}
    for row in pledges().values():
        conflict = any(checks[i]["severity"] == "conflict" for i in row["check_ids"].split(";") if i)
        expected = "conflicting" if conflict else "single source" if row["n_sources"] == "1" else "corroborated"
        assert row["status"] == expected, row["fact_id"]
        assert int(row["n_sources"]) == len(row["source_ids"].split(";"))


def test_consensus_is_the_value_and_qualifier_most_sources_state_in_the_announced_unit():
    with open(ROOT / "data/claims.csv", encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    for pledge in pledges().values():
        mine = [c for c in claims if c["fact_id"] == pledge["fact_id"]]
        voters = [c for c in mine if c["unit"] == pledge["unit"]] or mine
        votes: dict[tuple, set] = {}
        for claim in voters:
            votes.setdefault((Decimal(claim["value"]), claim["qualifier"]), set()).add(claim["source_id"])
        most = max(len(sources) for sources in votes.values())
        chosen = (Decimal(pledge["value"]), pledge["qualifier"])
        assert len(votes[chosen]) == most, pledge["fact_id"]
        tied = sorted(c["claim_id"] for c in voters if len(votes[(Decimal(c["value"]), c["qualifier"])]) == most)
        assert pledge["preferred_claim_id"] == tied[0], pledge["fact_id"]  # a tie goes to the earliest claim id


def test_investment_amounts_use_the_recorded_rate():
    with open(ROOT / "data/investments.csv", encoding="utf-8", newline="") as f:
        rows = {row["fact_id"]: row for row in csv.DictReader(f)}
    msft = rows["msft-fr-investment"]
    assert (msft["amount_eur"], msft["amount_usd"], msft["eur_usd_rate"], msft["rate_date"]) == (
        "4000000000", "4318000000", "1.0795", "2024-05-13")
    g42 = rows["msft-g42-investment"]  # announced in dollars: euros are converted
    assert g42["amount_usd"] == "1500000000"
    assert Decimal(g42["amount_eur"]) == (Decimal("1500000000") / Decimal(g42["eur_usd_rate"])).quantize(Decimal(1))
