"""A new article with a range, an approximate conversion and a total that includes the range,
added to a copy of the package as a maintainer would: built, checked, validated and published.

The article is written for this test about an invented company (no text is taken from anywhere).
"""

from __future__ import annotations

import csv
import hashlib

import pytest
from conftest import FACTS, copy_parts, page_text

from pledges import pipeline
from pledges.publish.site import build_site
from pledges.validate.pandera_models import validate

pytestmark = pytest.mark.slow  # builds or copies the whole package, case after case (make quick leaves it out)

ARTICLE = (
    "STOCKHOLM, 7 February 2025 - Northwind Cloud will invest EUR 20bn (approximately $20.7bn) in new "
    "datacentres in Sweden, the company said on Friday. A second phase, between EUR 30bn and EUR 50bn, "
    "depends on demand. The group also plans EUR 10bn for power lines and EUR 3bn for training.\n"
    "Altogether the plan comes to approximately EUR 83bn, Northwind said.\n"
)
FACT_LINES = """
  - id: nw-se-{name}
    label: Northwind Cloud {label}
    subject: Northwind Cloud
    metric: investment
    scope: related
    unit: EUR
    country: SE
    announced: 2025-02-07
    announced_date_basis: stated
    announced_evidence: "the article's dateline, 7 February 2025"
"""
PARTS = {"datacentres": "datacentres in Sweden", "phase-two": "second phase in Sweden",
         "power": "power lines in Sweden", "training": "training in Sweden"}
CLAIMS = [  # (fact, quote, value, value_to, unit, qualifier, attribution)
    ("nw-se-datacentres", "Northwind Cloud will invest EUR 20bn", "20000000000", "", "EUR", "unhedged", "company"),
    ("nw-se-datacentres", "approximately $20.7bn", "20700000000", "", "USD", "about", "reporter"),
    ("nw-se-phase-two", "between EUR 30bn and EUR 50bn", "30000000000", "50000000000", "EUR", "unhedged", "reporter"),
    ("nw-se-power", "EUR 10bn for power lines", "10000000000", "", "EUR", "unhedged", "reporter"),
    ("nw-se-training", "EUR 3bn for training", "3000000000", "", "EUR", "unhedged", "reporter"),
    ("nw-se-all", "approximately EUR 83bn", "83000000000", "", "EUR", "about", "company"),
]


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    root = copy_parts(tmp_path_factory.mktemp("added"), ("annotations", "seeds", "schemas", "package.yaml"))
    raw = ARTICLE.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    seed = f"900_{digest[:16]}.txt"
    (root / "seeds" / seed).write_bytes(raw)
    facts = "".join(FACT_LINES.format(name=name, label=label) for name, label in PARTS.items())
    facts = facts.replace(  # a day no source gives, which the annotators know from elsewhere
        "power lines in Sweden\n    subject: Northwind Cloud\n    metric: investment\n    scope: related\n    unit: "
        "EUR\n"
        "    country: SE\n    announced: 2025-02-07\n    announced_date_basis: stated",
        "power lines in Sweden\n    subject: Northwind Cloud\n    metric: investment\n    scope: related\n    unit: "
        "EUR\n"
        "    country: SE\n    announced: 2025-02-06\n    announced_date_basis: external")
    assert "announced: 2025-02-06" in facts
    facts += FACT_LINES.format(name="all", label="plan in Sweden, in all").replace(
        "    announced:", "    kind: total\n    sum_of: " + ", ".join(f"nw-se-{n}" for n in PARTS) + "\n    announced:")
    (root / FACTS).write_text((root / FACTS).read_text(encoding="utf-8") + facts, encoding="utf-8")
    lines = [f"seed: {seed}", f"sha256: {digest}", "publisher: Test wire (written for the test suite)",
             "title: Northwind plans", "language: en", "published: 2025-02-07", "date_basis: stated",
             "date_evidence: 7 February 2025", 'author: ""', 'url: ""', "claims:"]
    for number, (fact, quote, value, to, unit, qualifier, who) in enumerate(CLAIMS, 1):
        lines += [f"  - id: c{number:02d}", f"    fact: {fact}", f'    quote: "{quote}"',
                  "    subject: Northwind Cloud",
                  "    metric: investment", f"    value: {value}", f"    unit: {unit}", f"    qualifier: {qualifier}",
                  f"    attribution: {who}"] + ([f"    value_to: {to}"] if to else [])
    (root / "annotations" / "sources" / f"{seed[:-4]}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert pipeline.main(["--root", str(root)]) == 0
    return root


def rows(root, table: str) -> dict[str, dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return {row[reader.fieldnames[0]]: row for row in reader}


def test_the_range_is_a_range_in_the_claim_and_the_pledge(added):
    claim = next(c for c in rows(added, "claims").values() if c["fact_id"] == "nw-se-phase-two")
    assert (claim["stated_low"], claim["stated_high"]) == ("30000000000", "50000000000")
    pledge = rows(added, "investments")["nw-se-phase-two"]
    assert (pledge["value"], pledge["value_to"], pledge["amount_eur"]) == ("30000000000", "50000000000", "")
    assert (pledge["amount_eur_low"], pledge["amount_eur_high"]) == ("30000000000", "50000000000")


def test_the_approximate_conversion_is_consistent_and_the_pledge_corroborated_by_its_source(added):
    checks = [c for c in rows(added, "checks").values() if c["fact_id"] == "nw-se-datacentres"]
    assert [c["verdict"] for c in checks if c["kind"] == "conversion"] == ["consistent"]
    assert rows(added, "investments")["nw-se-datacentres"]["status"] != "conflicting"


def test_the_total_that_includes_the_range_holds_the_sum_of_intervals(added):
    total = next(t for t in rows(added, "totals").values() if t["fact_id"] == "nw-se-all")
    assert (total["parts_low"], total["parts_high"], total["verdict"]) == ("63000000000", "83000000000", "consistent")


def test_the_tables_keep_every_rule(added):
    for table in ("claims", "pledges", "investments", "totals", "checks"):
        assert validate(table, (added / "data" / f"{table}.csv").read_bytes()) == [], table


def test_the_site_shows_the_range_the_conversion_and_links_the_methodology(added, tmp_path):
    build_site(added, tmp_path / "site")
    path = tmp_path / "site" / "pledges" / "nw-se-phase-two.html"
    assert "EUR 30bn to 50bn" in page_text(path) and 'href="../methodology.html"' in path.read_text(encoding="utf-8")
    money = page_text(tmp_path / "site" / "pledges" / "nw-se-datacentres.html")
    amount = rows(added, "investments")["nw-se-datacentres"]["amount_usd"]
    assert amount == "20754000000"  # EUR 20bn at the ECB's 1.0377 of 2025-02-07, exactly
    assert "USD 20,754,000,000 (about USD 20.8bn) at the ECB rate" in money and "approximately $20.7bn" in money


def test_an_announcement_day_no_source_gives_is_shown_as_such_with_the_rate_it_sets(added, tmp_path):
    pledge = rows(added, "investments")["nw-se-power"]
    assert (pledge["announced_date_basis"], pledge["rate_date"]) == ("external", "2025-02-06")
    build_site(added, tmp_path / "site")
    page = page_text(tmp_path / "site" / "pledges" / "nw-se-power.html")
    assert "a date no source gives" in page and f"{pledge['eur_usd_rate']} USD per EUR" in page
