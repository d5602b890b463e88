"""Accountability over time, on packages the tests build: what was new (links between facts), what
came due (deliveries as of the version date), what was corrected (corrections as data and their
guard), and how many sources are really independent (near-copies grouped).

The articles below are written for these tests about invented companies (no text is taken from
anywhere).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from builders import claim, source
from builders import fact as fact_record
from conftest import FACTS, ROOT, copy_parts, page_text

from pledges import pipeline
from pledges.checks.delivery import delivery
from pledges.checks.independence import THRESHOLD, signature, similarity
from pledges.publish.site import build_site
from pledges.validate.pandera_models import validate

ARTICLE = (
    "OSLO, 3 March 2025 - Fabrikam Cloud will spend EUR 20bn on Nordic infrastructure by 2030, of which EUR 15bn "
    "for datacentres and the other EUR 5bn for grid connections, the company said on Monday.\n"
    "The plan comes on top of the EUR 2bn already budgeted last year: Fabrikam called it a further EUR 1.2bn "
    "for its existing campus in Bergen.\n"
    "Fabrikam has deployed 12,000 GPUs of the 25,000 it promised by the end of 2025, a spokeswoman said.\n"
)
FACT = """
  - id: {id}
    label: "{label}"
    subject: Fabrikam Cloud
    metric: {metric}
    scope: choose_france_2024
    unit: {unit}
    country: NO
    announced: 2025-03-03
    announced_date_basis: stated
    announced_evidence: the article's dateline
"""
FACTS_YAML = "facts:\n" + "".join(FACT.format(id=i, label=lbl, metric=m, unit=u) for i, lbl, m, u in [
    ("fab-plan", "Fabrikam plan", "investment", "EUR"), ("fab-plan-dc", "Fabrikam plan: datacentres", "investment",
                                                         "EUR"),
    ("fab-plan-grid", "Fabrikam plan: grid", "investment", "EUR"), ("fab-budget", "Fabrikam budget of last year",
                                                                     "investment", "EUR"),
    ("fab-bergen", "Fabrikam Bergen campus", "investment", "EUR"), ("fab-gpus", "Fabrikam GPUs", "gpus", "gpus")])
LINKS = {"fab-plan-dc": ("part_of", "fab-plan", "c02"), "fab-plan-grid": ("part_of", "fab-plan", "c03"),
         "fab-bergen": ("in_addition_to", "fab-budget", "c05")}
CLAIMS = [  # (id, fact, quote, value, unit, qualifier, extra lines)
    ("c01", "fab-plan", "Fabrikam Cloud will spend EUR 20bn on Nordic infrastructure by 2030", "20000000000", "EUR",
     "unhedged", ["target: by 2030", "target_date: 2030-12-31", "attribution: company"]),
    ("c02", "fab-plan-dc", "of which EUR 15bn for datacentres", "15000000000", "EUR", "unhedged", []),
    ("c03", "fab-plan-grid", "the other EUR 5bn for grid connections", "5000000000", "EUR", "unhedged", []),
    ("c04", "fab-budget", "the EUR 2bn already budgeted last year", "2000000000", "EUR", "unhedged", []),
    ("c05", "fab-bergen", "a further EUR 1.2bn for its existing campus in Bergen", "1200000000", "EUR", "unhedged", []),
    ("c06", "fab-gpus", "the 25,000 it promised by the end of 2025", "25000", "gpus", "up_to",
     ["target: by the end of 2025", "target_date: 2025-12-31"]),
    ("c07", "fab-gpus", "Fabrikam has deployed 12,000 GPUs", "12000", "gpus", "unhedged",
     ["progress: partly_delivered", "attribution: company"]),
]
CORRECTION = """corrections:
  - id: k001
    date: 2025-03-04
    target: claim {seed}-c04
    field: quote
    was: the EUR 2bn budgeted
    now: the EUR 2bn already budgeted last year
    why: the first quote left out words of the article
    by: annotators
"""


def fabrikam(root, article: str = ARTICLE):
    """A package of this one article, in the layout of the real one (its schemas and metadata)."""
    copy_parts(root, ("schemas", "package.yaml"))
    (root / "seeds").mkdir()
    (root / "annotations" / "sources").mkdir(parents=True)
    raw = article.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    seed = f"100_{digest[:16]}.txt"
    (root / "seeds" / seed).write_bytes(raw)
    facts = FACTS_YAML
    for fact, (relation, other, cid) in LINKS.items():
        block_end = facts.index("announced_evidence", facts.index(f"id: {fact}\n"))
        block_end = facts.index("\n", block_end) + 1
        facts = facts[:block_end] + (f"    links:\n      - relation: {relation}\n        fact: {other}\n"
                                     f"        claim: {seed[:-4]}-{cid}\n") + facts[block_end:]
    (root / FACTS).write_text(facts, encoding="utf-8")
    lines = [f"seed: {seed}", f"sha256: {digest}", "publisher: Test wire", "title: Fabrikam", "language: en",
             "published: 2025-03-03", "date_basis: stated", "date_evidence: 3 March 2025", 'author: ""', 'url: ""',
             "claims:"]
    for cid, fact, quote, value, unit, qualifier, extra in CLAIMS:
        metric = "gpus" if unit == "gpus" else "investment"
        lines += [f"  - id: {cid}", f"    fact: {fact}", f'    quote: "{quote}"', "    subject: Fabrikam Cloud",
                  f"    metric: {metric}", f"    value: {value}", f"    unit: {unit}", f"    qualifier: {qualifier}"]
        lines += [f"    {line}" for line in extra]
    (root / "annotations" / "sources" / f"{seed[:-4]}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "annotations" / "corrections.yaml").write_text(CORRECTION.format(seed=seed[:-4]), encoding="utf-8")
    return root, seed[:-4]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root, stem = fabrikam(tmp_path_factory.mktemp("fabrikam"))
    assert pipeline.main(["--root", str(root)]) == 0
    return root, stem


def rows(root, table: str) -> dict[str, dict]:
    reader = csv.DictReader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8")))
    return {row[reader.fieldnames[0]]: row for row in reader}


def test_a_breakdown_and_a_further_amount_are_linked_with_the_claims_that_state_them(built):
    root, stem = built
    links = rows(root, "links")
    assert links["fab-plan-dc/part_of/fab-plan"]["claim_id"] == f"{stem}-c02"
    assert links["fab-bergen/in_addition_to/fab-budget"]["claim_id"] == f"{stem}-c05"
    pledges = rows(root, "pledges")
    assert "has_part fab-plan-dc" in pledges["fab-plan"]["links"]


def test_summing_the_rows_counted_in_totals_counts_no_part_twice(built):
    root, _ = built
    money = rows(root, "investments")
    counted = {fid for fid, row in money.items() if row["in_totals"] == "true"}
    assert counted == {"fab-plan", "fab-budget", "fab-bergen"}  # the parts are in their whole
    assert sum(D(money[f]["amount_eur"]) for f in counted) == D("23.2e9")


def test_the_event_says_how_much_the_sources_call_new(built):
    root, _ = built
    event = rows(root, "events")["choose_france_2024/investment/EUR"]
    assert (event["total_low"], event["new_low"]) == ("23200000000", "1200000000")
    assert "EUR 1.2bn of it as in addition to an earlier pledge" in event["summary"]


def test_a_progress_report_sets_the_delivery_and_is_not_a_value_of_the_pledge(built):
    root, stem = built
    gpus = rows(root, "pledges")["fab-gpus"]
    assert (gpus["delivery"], gpus["delivery_progress"], gpus["delivery_claim_id"]) == \
        ("reported", "partly_delivered", f"{stem}-c07")
    assert "12,000 GPUs" in gpus["delivery_note"] and gpus["status"] == "single source"
    assert not any(c["kind"] == "value" for c in rows(root, "checks").values())  # 12,000 contradicts nothing


def test_the_correction_is_data_and_the_package_validates(built):
    root, stem = built
    assert rows(root, "corrections")["k001"]["target"] == f"claim {stem}-c04"
    for table in ("claims", "pledges", "investments", "links", "events", "corrections", "gpus"):
        assert validate(table, (root / "data" / f"{table}.csv").read_bytes()) == [], table


def test_the_site_shows_links_progress_and_corrections(built, tmp_path):
    root, _ = built
    build_site(root, tmp_path / "site")
    plan = page_text(tmp_path / "site" / "pledges" / "fab-plan.html")
    assert "fab-plan-dc" in plan and "part of" in plan
    gpus = page_text(tmp_path / "site" / "pledges" / "fab-gpus.html")
    assert "partly delivered" in gpus and "12,000 GPUs" in gpus
    budget = page_text(tmp_path / "site" / "pledges" / "fab-budget.html")
    assert "k001" in budget and "left out words" in budget


def test_a_corrected_input_that_changes_again_stops_the_build_naming_the_correction(tmp_path, capsys):
    root, stem = fabrikam(tmp_path / "p")
    annotation = root / "annotations" / "sources" / f"{stem}.yaml"
    annotation.write_text(annotation.read_text().replace("the EUR 2bn already budgeted last year",
                                                         "EUR 2bn already budgeted"), encoding="utf-8")
    assert pipeline.main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "annotations/corrections.yaml:" in err and "correction k001: a corrected input changed again" in err


@pytest.mark.parametrize("as_of, target, expected", [
    (date(2026, 12, 2), date(2025, 12, 31), "deadline passed, no report"),
    (date(2026, 12, 2), date(2027, 12, 31), "not yet due"),
    (date(2026, 12, 2), None, "no deadline"),
])
def test_a_deadline_is_passed_or_not_yet_due_as_of_the_version_date(as_of, target, expected):
    pledge = claim("000_a", "c1", "f", "25,000 GPUs", "25000", "gpus", metric="gpus")
    assert delivery([pledge], target, as_of, {}, {}).status == expected


def test_the_latest_progress_report_wins_whatever_the_deadline():
    early = claim("000_a", "c1", "f", "5,000 GPUs", "5000", "gpus", metric="gpus")
    late = claim("001_b", "c1", "f", "the project was cancelled", "1", "gpus", metric="gpus")
    from dataclasses import replace
    early, late = replace(early, progress="partly_delivered"), replace(late, progress="cancelled", value=None)
    found = delivery([early, late], date(2025, 12, 31), date(2026, 12, 2),
                     {"000_a": date(2025, 6, 1), "001_b": date(2026, 1, 5)}, {"001_b": "A wire"})
    assert (found.status, found.progress, found.claim) == ("reported", "cancelled", late)
    assert found.sentence == "A wire reports it cancelled on 2026-01-05."


def test_a_copy_with_a_new_header_line_is_the_same_article_and_two_articles_on_the_same_pledges_are_not():
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    first, second = (p.read_text(encoding="utf-8") for p in seeds[:2])
    copy = "Republished with permission from our partners\n\n" + first
    assert similarity(signature(first), signature(copy)) >= THRESHOLD
    assert similarity(signature(first), signature(second)) < THRESHOLD


def syndicate(package, source_id: str) -> str:
    """Add a syndicated copy of a source: its article under a new first line, annotated alike; the
    copy's source id."""
    sources = rows(package.root, "sources")
    header = "Syndicated by a wire service\n"
    raw = header.encode() + (package.root / sources[source_id]["seed_file"]).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    seed = f"900_{digest[:16]}"
    (package.root / "seeds" / f"{seed}.txt").write_bytes(raw)
    annotation = (package.root / "annotations" / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8")
    for old, new in ((f"{source_id}.txt", f"{seed}.txt"), (sources[source_id]["seed_sha256"], digest)):
        assert old in annotation
        annotation = annotation.replace(old, new)
    annotation = re.sub(r"^(\s*(?:start|end): )(\d+)$", lambda m: f"{m[1]}{int(m[2]) + len(header)}", annotation,
                        flags=re.M)  # every quote as far into the copy as its first line is long
    (package.root / "annotations" / "sources" / f"{seed}.yaml").write_text(annotation + "\n", encoding="utf-8")
    return seed


def test_a_syndicated_copy_adds_an_article_but_no_independent_source(package, capsys):
    """Every pledge the copied article reports gains an article, not an independent source; one
    that only it reported stays single source, says so, and the validation's rules agree."""
    before = rows(package.root, "pledges")
    alone = [row for row in before.values() if row["n_sources"] == "1"]
    original = alone[0]["source_ids"] if alone else next(iter(rows(package.root, "sources")))
    seed = syndicate(package, original)
    assert package.build(capsys)[0] == 0
    assert rows(package.root, "sources")[seed]["copy_of"] == original
    after = rows(package.root, "pledges")
    for fact_id, row in after.items():
        if original in row["source_ids"]:
            assert int(row["n_sources"]) == int(before[fact_id]["n_sources"]) + 1
            assert row["n_independent"] == before[fact_id]["n_independent"], fact_id
            assert row["status"] == before[fact_id]["status"], fact_id
    for row in alone[:1]:  # a pledge of one article (where the package has one)
        assert (after[row["fact_id"]]["n_sources"], after[row["fact_id"]]["status"]) == ("2", "single source")
        assert "near-copies of one" in after[row["fact_id"]]["print_advice"]
    for table in ("pledges", "investments", "jobs", "training"):  # the validation's rules agree with the build
        assert validate(table, (package.root / "data" / f"{table}.csv").read_bytes()) == [], table


def test_a_fact_stated_only_by_reports_of_progress_is_a_named_problem():
    from pledges.checks.annotations import check
    from pledges.errors import BuildFailed

    report = dataclasses.replace(claim("s1", "c01", "f1", "has delivered its datacentre", "1", "EUR"),
                                 value=None, progress="delivered")
    with pytest.raises(BuildFailed, match="fact has no claim with a figure"):
        check({"f1": fact_record("f1")}, [source("s1", report)])


def test_a_correction_names_a_field_the_annotation_writes_never_a_derived_one():
    from pledges.checks.corrections import current

    stated = source("s1", claim("s1", "c01", "f1", "EUR 5bn", "5000000000", "EUR"))
    assert current("claim s1-c01", "value", {}, [stated]) == (True, "5000000000")
    assert current("claim s1-c01", "amount", {}, [stated]) == (False, "")  # a property, not an annotated field
