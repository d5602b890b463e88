"""Findings as interval tests: consistent, inconsistent or cannot tell, by general rules.

Each rule is tested on claims the test builds (pledges.checks.reconcile on its own facts and sources),
so that the rule, not one row of the five seeds, is what passes; the published tables are then
checked for what holds of every row.
"""

import csv
from datetime import date

import pytest
from builders import claim, fact, source
from conftest import ROOT

from pledges.checks.rates import EcbRates
from pledges.checks.reconcile import date_findings, reconcile


def findings(facts, *sources) -> dict[str, object]:
    return {f.id: f for p in reconcile({f.id: f for f in facts}, list(sources), EcbRates()) for f in p.findings}


def pledges(facts, *sources) -> dict[str, object]:
    return {p.fact.id: p for p in reconcile({f.id: f for f in facts}, list(sources), EcbRates())}


@pytest.mark.parametrize("quote, euros, value, check, verdict", [
    ("$4.3bn", "EUR 4bn", "4.3e9", "conversion", "consistent"),      # right at the precision written
    ("$4 billion", "EUR 4bn", "4e9", "currency", "cannot tell"),     # rounding explains it, and so does a relabel
    ("$4.0bn", "EUR 4.0bn", "4e9", "currency", "inconsistent"),      # only a relabel explains it
    ("$4.6bn", "EUR 4bn", "4.6e9", "conversion", "inconsistent"),    # neither
])
def test_a_figure_in_another_currency_is_tested_against_a_conversion_and_a_relabel(quote, euros, value, check, verdict):
    got = findings([fact("p")], source("000_a", claim("000_a", "c1", "p", euros, "4e9", "EUR")),
                   source("001_b", claim("001_b", "c1", "p", quote, value, "USD")))
    finding = got[f"{check}/001_b-c1"]
    assert finding.verdict == verdict
    if verdict == "cannot tell":
        assert "USD 4.318bn" in finding.explanation and "USD 4bn" in finding.explanation  # both readings named


def test_another_value_is_inconsistent_unless_the_precision_written_cannot_tell_them_apart():
    jobs = fact("j", "jobs", "jobs")
    got = findings([jobs], source("000_a", claim("000_a", "c1", "j", "25,000 jobs", "25000", "jobs", metric="jobs")),
                   source("001_b", claim("001_b", "c1", "j", "20,000 jobs", "20000", "jobs", metric="jobs")),
                   source("002_c", claim("002_c", "c1", "j", "25,300 jobs", "25300", "jobs", metric="jobs")),
                   source("003_d", claim("003_d", "c1", "j", "25,000 jobs", "25000", "jobs", metric="jobs")))
    assert got["value/001_b-c1"].verdict == "inconsistent"
    assert got["value/002_c-c1"].verdict == "cannot tell"  # inside [24,500, 25,500)


def test_hedges_no_value_fits_together_are_a_hedge_difference_not_a_conflict():
    people = fact("t", "people", "people_trained")
    stated = [source("000_a", claim("000_a", "c1", "t", "a million people", "1e6", "people", metric="people_trained")),
              source("001_b", claim("001_b", "c1", "t", "over a million people", "1e6", "people", "more_than",
                                    metric="people_trained")),
              source("002_c", claim("002_c", "c1", "t", "nearly a million people", "1e6", "people", "nearly",
                                    metric="people_trained"))]
    got = pledges([people], *stated)["t"]
    hedge = next(f for f in got.findings if f.kind == "qualifier")
    assert hedge.verdict == "inconsistent" and got.status == "hedges differ"
    assert "contradict" not in hedge.explanation and "differ on the hedge" in hedge.explanation
    assert got.stated == got.intervals[got.headline.claim_id].stated  # the headline's words, not an intersection
    compatible = pledges([people], *stated[:2])["t"]
    assert next(f for f in compatible.findings if f.kind == "qualifier").verdict == "consistent"


def test_a_total_is_judged_against_the_sum_of_its_parts_never_against_another_report_of_it():
    facts = [fact("a"), fact("b"), fact("ab", sum_of=("a", "b"), kind="total")]
    got = findings(facts, source("000_a", claim("000_a", "c1", "a", "EUR 4bn", "4e9", "EUR"),
                                 claim("000_a", "c2", "b", "EUR 1.2bn", "1.2e9", "EUR"),
                                 claim("000_a", "c3", "ab", "EUR 5.2bn", "5.2e9", "EUR", start=10)),
                   source("001_b", claim("001_b", "c1", "ab", "EUR 5.5bn", "5.5e9", "EUR"),
                          claim("001_b", "c2", "ab", "$6bn", "6e9", "USD", start=20)))
    assert got["total/000_a-c3"].verdict == "consistent"
    assert got["total/001_b-c1"].verdict == "inconsistent"  # 5.5 does not hold 5.2, whatever 000 says
    six = got["total/001_b-c2"]
    assert six.verdict == "cannot tell"  # [5.5bn, 6.5bn) holds USD 5.61bn and the source's own EUR 5.5bn converted
    assert "USD 5.6134bn" in six.explanation and "USD 5.9372bn" in six.explanation
    assert not any(k.startswith(("value/", "currency/", "conversion/")) for k in got)


def test_a_publication_date_the_text_fixes_only_to_a_range_cannot_tell_the_day():
    ranged = source("000_a", published=None, earliest=date(2024, 5, 12), latest=date(2024, 5, 13), basis="inferred")
    fixed = source("001_b", published=date(2024, 5, 14), basis="inferred")
    got = {f.id: f for f in date_findings([ranged, fixed, source("002_c")])}
    assert got["date/000_a"].verdict == "cannot tell" and "2024-05-12 to 2024-05-13" in got["date/000_a"].explanation
    assert got["date/001_b"].verdict == "consistent"
    assert "date/002_c" not in got  # stated


def rows(table: str) -> dict[str, dict]:
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        key = reader.fieldnames[0]
        return {row[key]: row for row in reader}


@pytest.mark.data
def test_every_published_verdict_sets_its_severity_and_its_pledges_status():
    checks = rows("checks")
    severity = {"consistent": "info", "cannot tell": "warning", "inconsistent": "conflict"}
    assert all(c["severity"] == severity[c["verdict"]] for c in checks.values())
    for table in ("pledges", "investments"):
        for pledge in rows(table).values():
            ids = [i for i in pledge["check_ids"].split(";") if i]
            assert all(checks[i]["fact_id"] == pledge["fact_id"] for i in ids)
            against = [i for i in ids if checks[i]["verdict"] == "inconsistent" and checks[i]["kind"] != "qualifier"]
            hedges = [i for i in ids if checks[i]["verdict"] == "inconsistent" and checks[i]["kind"] == "qualifier"]
            assert (pledge["status"] == "conflicting") == bool(against), pledge["fact_id"]
            assert (pledge["status"] == "hedges differ") == (bool(hedges) and not against), pledge["fact_id"]


@pytest.mark.data
def test_no_published_explanation_claims_a_cause():
    for check in rows("checks").values():
        assert "is the euro figure" not in check["explanation"]
        assert "correct to the precision" not in check["explanation"]


@pytest.mark.data
def test_totals_are_kept_apart_from_the_pledges_they_total():
    pledge_rows = rows("pledges")
    totals = {fid for fid, row in pledge_rows.items() if row["kind"] == "total"}
    for table in ("investments", "jobs", "training", "startups", "gpus", "energy"):
        assert not totals & set(rows(table)), table
    assert {row["fact_id"] for row in rows("totals").values()} == totals


@pytest.mark.data
def test_statements_have_no_announcement_date():
    for row in rows("pledges").values():
        if row["kind"] == "statement":
            assert row["announced"] == ""


@pytest.mark.data
def test_disagreement_never_fails_the_build(package, capsys):
    status, _, _ = package.build(capsys)
    assert status == 0
