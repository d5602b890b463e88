"""Consensus, status and conversion: the rule in the README, applied to the five seeds."""

import csv
from decimal import Decimal

import pytest
from conftest import ROOT

from pledges.checks.rates import EcbRates, significant
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


@pytest.mark.parametrize("value, digits_of, rounded", [
    ("1410172041", "1.5e9", "1.4e9"),      # USD 1.5bn in euros at 1.0637: two digits written, two kept
    ("9198785760", "10e9", "9.2e9"),       # "$10 billion": the digits before the scale word count
    ("4318000000", "4e9", "4e9"),          # EUR 4bn in dollars: one digit written
    ("16182000", "15e6", "16e6"),
])
def test_a_converted_amount_keeps_the_digits_the_source_wrote(value, digits_of, rounded):
    assert significant(Decimal(value), Decimal(digits_of)) == Decimal(rounded)


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


def test_status_follows_the_findings_and_the_number_of_sources():
    checks = {}
    with open(ROOT / "data/checks.csv", encoding="utf-8", newline="") as f:
        checks = {row["check_id"]: row for row in csv.DictReader(f)}
    for row in pledges().values():
        conflict = any(checks[i]["verdict"] == "inconsistent" for i in row["check_ids"].split(";") if i)
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


def test_investment_amounts_use_the_recorded_rate_at_the_precision_written():
    with open(ROOT / "data/investments.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        rate, value = Decimal(row["eur_usd_rate"]), Decimal(row["value"])
        stated, other = ("amount_eur", "amount_usd") if row["unit"] == "EUR" else ("amount_usd", "amount_eur")
        if row["unit"] in ("EUR", "USD"):
            assert Decimal(row[stated]) == value, row["fact_id"]
            converted = value * rate if other == "amount_usd" else value / rate
            assert Decimal(row[other]) == significant(converted, value), row["fact_id"]
            for end in ("low", "high"):
                bound, amount = row[f"value_{end}"], row[f"{other}_{end}"]
                assert (bound == "") == (amount == "")
                if bound:
                    factor = rate if other == "amount_usd" else 1 / rate
                    assert abs(Decimal(amount) - Decimal(bound) * factor) <= 1, row["fact_id"]


def test_choose_france_2024_investments_in_france_sum_once_with_their_bounds():
    with open(ROOT / "data/investments.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["scope"] == "choose_france_2024" and r["country"] == "FR"]
    with open(ROOT / "data/pledges.csv", encoding="utf-8", newline="") as f:
        totals = {r["fact_id"] for r in csv.DictReader(f) if r["kind"] == "total"}
    assert rows and not totals & {r["fact_id"] for r in rows}  # no reported total beside its parts
    low = sum(Decimal(r["amount_eur_low"]) for r in rows)
    high = sum(Decimal(r["amount_eur_high"]) for r in rows)
    assert low <= sum(Decimal(r["amount_eur"]) for r in rows) <= high
