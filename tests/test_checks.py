"""Disagreement is data: each known disagreement is a finding, explained, and shown on its pledge."""

import csv

from conftest import ROOT


def rows(table: str) -> dict[str, dict]:
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        key = reader.fieldnames[0]
        return {row[key]: row for row in reader}


def test_dollar_figure_for_the_euro_pledge_is_a_currency_conflict():
    check = rows("checks")["currency/003_25e5ca3ece719531-c01"]
    assert (check["kind"], check["severity"], check["fact_id"]) == ("currency", "conflict", "msft-fr-investment")
    assert check["claim_ids"] == "003_25e5ca3ece719531-c01;003_25e5ca3ece719531-c03"
    assert check["found"] == "USD 4bn"
    assert "euro figure with a US dollar sign" in check["explanation"] and "USD 4.318bn" in check["explanation"]


def test_combined_total_is_checked_against_the_sum_of_its_parts():
    check = rows("checks")["total/002_52083d7952b85408-c01"]
    assert (check["severity"], check["fact_id"]) == ("conflict", "msft-amzn-fr-combined")
    assert check["expected"] == "EUR 5.2bn = EUR 4bn (msft-fr-investment) + EUR 1.2bn (amzn-fr-investment)"
    assert check["found"] == "EUR 5.5bn"


def test_each_report_of_a_total_is_judged_against_the_parts_in_its_own_currency():
    check = rows("checks")["total/002_52083d7952b85408-c05"]  # "$6 billion" for the combined pledges
    assert check["expected"].startswith("USD 5.6134bn = USD 4.318bn (msft-fr-investment) + USD 1.2954bn")
    assert not any(c["kind"] == "value" and c["fact_id"] == "msft-amzn-fr-combined" for c in rows("checks").values())


def test_a_spread_of_qualifiers_is_a_warning_that_counts_each_source_once():
    claims, pledges = rows("claims"), rows("pledges")
    findings = [c for c in rows("checks").values() if c["kind"] == "qualifier"]
    for check in findings:
        assert check["severity"] == "warning"
        by_qualifier: dict[str, set[str]] = {}
        for claim in claims.values():
            if claim["fact_id"] == check["fact_id"]:
                by_qualifier.setdefault(claim["qualifier"], set()).add(claim["source_id"][:3])
        assert len(by_qualifier) > 1
        for qualifier, sources in by_qualifier.items():
            noun = "source" if len(sources) == 1 else "sources"
            assert f"{qualifier}: {len(sources)} {noun} ({', '.join(sorted(sources))})" in check["found"]
        assert check["check_id"] in pledges[check["fact_id"]]["check_ids"].split(";")
    assert "qualifier/msft-fr-training" in {c["check_id"] for c in findings}  # "over a million", "près d'un million"


def test_conversion_is_judged_at_the_precision_written():
    check = rows("checks")["conversion/001_b24a656a585fab8f-c04"]  # "$4.3bn" for EUR 4bn
    assert (check["severity"], check["expected"]) == ("info", "USD 4.318bn (EUR 4bn at 1.0795 USD per EUR), to the nearest USD 100m")


def test_inferred_and_unknown_dates_are_findings():
    checks = rows("checks")
    assert checks["date/001_b24a656a585fab8f"]["found"] == "2024-05-14 inferred from 'yesterday (May 13)'"
    assert checks["date/002_52083d7952b85408"]["found"] == "only '6 months ago'"
    assert "date/000_a740679b1ad3bc90" not in checks  # stated


def test_pledge_tables_point_to_their_findings():
    checks = rows("checks")
    for table in ("pledges", "investments", "training"):
        for pledge in rows(table).values():
            ids = [i for i in pledge["check_ids"].split(";") if i]
            assert all(checks[i]["fact_id"] == pledge["fact_id"] for i in ids)
            conflicts = [i for i in ids if checks[i]["severity"] == "conflict"]
            assert (pledge["status"] == "conflicting") == bool(conflicts), pledge["fact_id"]
    assert "qualifier/msft-fr-training" in rows("training")["msft-fr-training"]["check_ids"]


def test_contradicting_claims_are_deprecated_with_the_reason():
    claims = rows("claims")
    assert claims["003_25e5ca3ece719531-c01"]["rank"] == "deprecated"
    assert "euro figure with a US dollar sign" in claims["003_25e5ca3ece719531-c01"]["rank_reason"]
    assert claims["000_a740679b1ad3bc90-c01"]["rank"] == "preferred"
    assert claims["001_b24a656a585fab8f-c04"]["rank"] == "normal"  # "$4.3bn": right, in another currency
    assert claims["004_c4c635be39286977-c03"]["rank"] == "normal"  # "près d'un million": same value, hedged


def test_disagreement_never_fails_the_build(package, capsys):
    status, _, _ = package.build(capsys)
    with open(package.root / "data/checks.csv", encoding="utf-8", newline="") as f:
        severities = [row["severity"] for row in csv.DictReader(f)]
    assert status == 0
    assert severities.count("conflict") >= 2  # the dollar figure and the combined total
