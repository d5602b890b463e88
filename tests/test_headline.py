"""What a pledge publishes, on fixtures the tests build: the headline, its stated interval, ranges,
conversions, status and print advice, and the readings every check prints (issue: verdicts a
reporter can print)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from builders import claim, fact, source

from pledges.checks.lineage import in_totals, links_of
from pledges.checks.rates import EcbRates
from pledges.checks.reconcile import reconcile
from pledges.reading.intervals import Interval
from pledges.tables.render import Context, fact_tables
from pledges.wording import converted, describe

FEB_7_2025 = date(2025, 2, 7)  # ECB: 1.0377 USD per EUR


def pledges(facts, *sources):
    return {p.fact.id: p for p in reconcile({f.id: f for f in facts}, list(sources), EcbRates())}


def tables(facts, *sources) -> dict[str, list[dict]]:
    """Every row the fixture's pledges own, by table (as the build renders them)."""
    out: dict[str, list[dict]] = {}
    by_id = {f.id: f for f in facts}
    context = Context(by_id, {}, date(2026, 12, 2), {s.source_id: s.published for s in sources},
                      {s.source_id: s.source_id for s in sources}, in_totals(by_id), links_of(by_id))
    for pledge in pledges(facts, *sources).values():
        for name, rows in fact_tables(pledge, context).items():
            out.setdefault(name, []).extend(rows)
    return out


def row(table: list[dict], key: str, value: str) -> dict:
    return next(r for r in table if r[key] == value)


def test_the_companys_own_words_win_over_the_wording_most_sources_use():
    got = pledges([fact("a")], source("000_a", claim("000_a", "c1", "a", "more than €1.2bn", "1.2e9", "EUR",
                                                     "more_than",
                                                     attribution="company")),
                  *(source(s, claim(s, "c1", "a", "€1.2bn", "1.2e9", "EUR")) for s in ("001_b", "002_c", "003_d")))["a"]
    assert (got.headline.qualifier, got.headline.claim_id) == ("more_than", "000_a-c1")
    assert "company's own words" in got.basis
    assert (got.stated.low, got.stated.high) == (D("1.2e9"), None)
    assert got.status == "corroborated" and len(got.stating) == 4


def test_when_the_companys_words_differ_as_sources_report_them_the_most_used_wording_wins():
    got = pledges([fact("t", "people", "people_trained")],
                  source("000_a", claim("000_a", "c1", "t", "over a million", "1e6", "people", "more_than",
                                        metric="people_trained", attribution="company")),
                  source("001_b", claim("001_b", "c1", "t", "près d'un million", "1e6", "people", "nearly",
                                        metric="people_trained", attribution="company")),
                  *(source(s, claim(s, "c1", "t", "1 million", "1e6", "people", metric="people_trained"))
                    for s in ("002_c", "003_d")))["t"]
    assert got.headline.qualifier == "unhedged" and "most sources use (2 of 4)" in got.basis
    assert got.status == "hedges differ"


def test_no_published_bound_is_one_that_no_source_states():
    facts = [fact("g", "gpus", "gpus")]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "g", "up to 25,000 GPUs", "25000", "gpus", "up_to",
                                               metric="gpus", attribution="company")),
                  source("001_b", claim("001_b", "c1", "g", "25,000 GPUs", "25000", "gpus", metric="gpus")),
                  source("002_c", claim("002_c", "c1", "g", "25,000 GPUs", "25000", "gpus", metric="gpus")))
    pledge = rows["pledges"][0]
    assert (pledge["stated_low"], pledge["stated_high"]) == (None, D(25000))  # no floor of 24,500
    assert pledge["qualifier"] == "up_to" and rows["gpus"] == [pledge]


def test_a_conversion_keeps_its_exact_value_and_is_never_rounded_onto_the_other_currencys_number():
    rows = tables([fact("m")], source("000_a", claim("000_a", "c1", "m", "€4bn", "4e9", "EUR")))
    money = rows["investments"][0]
    assert (money["amount_eur"], money["amount_usd"]) == (D("4e9"), D("4318000000"))  # at 1.0795
    assert (money["amount_usd_low"], money["amount_usd_high"]) == (D("4318000000"), D("4318000000"))
    shown = converted(money["amount_usd"], D("4e9"))
    assert describe(shown, "USD") == "USD 4.32bn" and shown != D("4e9")
    assert converted(D("4000000001"), D("4e9")) != D("4e9")  # more digits until it differs


def test_a_range_is_kept_whole_from_claim_to_pledge_to_total():
    facts = [fact("a", day=FEB_7_2025), fact("b", day=FEB_7_2025), fact("c", day=FEB_7_2025),
             fact("d", day=FEB_7_2025), fact("all", sum_of=("a", "b", "c", "d"), kind="total", day=FEB_7_2025)]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "a", "EUR 20bn", "2e10", "EUR"),
                                claim("000_a", "c2", "b", "between EUR 30bn and EUR 50bn", "3e10", "EUR",
                                      value_to="5e10", start=20),
                                claim("000_a", "c3", "c", "EUR 10bn", "1e10", "EUR", start=60),
                                claim("000_a", "c4", "d", "EUR 3bn", "3e9", "EUR", start=80),
                                claim("000_a", "c5", "all", "approximately EUR 83bn", "8.3e10", "EUR", "about",
                                      start=100)))
    ranged = row(rows["claims"], "claim_id", "000_a-c2")
    assert (ranged["stated_low"], ranged["stated_high"]) == (D("3e10"), D("5e10"))
    pledge = row(rows["investments"], "fact_id", "b")
    assert (pledge["value"], pledge["value_to"], pledge["amount_eur"]) == (D("3e10"), D("5e10"), None)
    assert (pledge["amount_eur_low"], pledge["amount_eur_high"]) == (D("3e10"), D("5e10"))
    assert "EUR 30bn to 50bn" in pledge["print_advice"]
    total = rows["totals"][0]
    assert (total["parts_low"], total["parts_high"]) == (D("6.3e10"), D("8.3e10"))
    assert total["verdict"] == "consistent"  # about 83bn holds 63bn to 83bn


def test_a_total_whose_part_has_no_announcement_day_cannot_be_told_and_says_why():
    """A part in dollars with no known day has no ECB rate: the total is not checked at a rate no
    source gives, and the build does not stop."""
    undated = replace(fact("b", unit="USD"), announced=None, announced_date_basis="unknown")
    facts = [fact("a"), undated, fact("ab", sum_of=("a", "b"), kind="total")]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "a", "EUR 4bn", "4e9", "EUR"),
                                claim("000_a", "c2", "b", "$1bn", "1e9", "USD", start=10),
                                claim("000_a", "c3", "ab", "EUR 5bn", "5e9", "EUR", start=20)))
    total = rows["totals"][0]
    assert total["verdict"] == "cannot tell"
    check = row(rows["checks"], "check_id", total["check_id"])
    assert "b has no announcement day" in check["explanation"]


def test_an_approximate_conversion_is_read_with_its_hedge():
    facts = [fact("m", day=FEB_7_2025)]
    got = pledges(facts, source("000_a", claim("000_a", "c1", "m", "EUR 20bn", "2e10", "EUR")),
                  source("001_b", claim("001_b", "c1", "m", "approximately $20.7bn", "2.07e10", "USD", "about")))["m"]
    finding = next(f for f in got.findings if f.kind == "conversion")
    assert finding.verdict == "consistent" and "USD 20.754bn" in finding.explanation
    assert got.status == "corroborated"


def test_n_of_m_counts_every_source_stating_the_number_whatever_its_rank():
    facts = [fact("a"), fact("b"), fact("ab", sum_of=("a", "b"), kind="total")]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "a", "€4bn", "4e9", "EUR"),
                                claim("000_a", "c2", "b", "€1.2bn", "1.2e9", "EUR", start=10),
                                claim("000_a", "c3", "ab", "€5.5bn", "5.5e9", "EUR", start=20),
                                claim("000_a", "c4", "ab", "€5.5 billion", "5.5e9", "EUR", start=30),
                                claim("000_a", "c5", "ab", "€5.5 billion in all", "5.5e9", "EUR", start=40)))
    total = row(rows["pledges"], "fact_id", "ab")
    assert (total["n_stating"], total["n_sources"]) == (1, 1)
    assert "0 of" not in total["print_advice"] and "add up to EUR 5.2bn" in total["print_advice"]
    assert total["status"] == "conflicting"  # 5.5bn holds nothing the parts allow


def test_every_interval_a_check_prints_for_a_claim_is_the_one_its_row_shows():
    facts = [fact("m"), fact("j", "jobs", "jobs")]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "m", "€4bn", "4e9", "EUR"),
                                claim("000_a", "c2", "j", "over 3,000 jobs", "3000", "jobs", "more_than", metric="jobs",
                                      start=10)),
                  source("001_b", claim("001_b", "c1", "m", "around $4.3bn", "4.3e9", "USD", "about"),
                         claim("001_b", "c2", "j", "3,500 jobs", "3500", "jobs", metric="jobs", start=20)),
                  source("002_c", claim("002_c", "c1", "m", "4 billion dollars", "4e9", "USD")))
    claims = {r["claim_id"]: r for r in rows["claims"]}
    printed = 0
    for check in rows["checks"]:
        if not check["source_id"]:
            continue
        first = claims[check["claim_ids"].split(";")[0]]
        span = Interval(first["readings_low"], first["readings_high"],
                        first["qualifier"] not in ("about", "nearly"), False)
        unit = first["unit"]
        assert f"readings {span.written(lambda v, unit=unit: describe(v, unit))}" in check["explanation"], check
        printed += 1
    assert printed >= 3


def test_topic_tables_hold_pledges_only_so_that_a_column_sums_without_counting_twice():
    facts = [fact("a"), fact("b"), fact("ab", sum_of=("a", "b"), kind="total"),
             fact("staff", "employees", "employees", kind="statement", day=None)]
    rows = tables(facts, source("000_a", claim("000_a", "c1", "a", "€4bn", "4e9", "EUR"),
                                claim("000_a", "c2", "b", "€1.2bn", "1.2e9", "EUR", start=10),
                                claim("000_a", "c3", "ab", "€5.2bn", "5.2e9", "EUR", start=20),
                                claim("000_a", "c4", "staff", "22,000 employees", "22000", "employees",
                                      metric="employees", start=30)))
    assert {r["fact_id"] for r in rows["investments"]} == {"a", "b"}
    assert sum(r["amount_eur"] for r in rows["investments"]) == D("5.2e9")
    assert "jobs" not in rows  # the headcount is a statement: in pledges.csv only
    assert {r["kind"] for r in rows["pledges"]} == {"pledge", "total", "statement"}
