"""No figure in an article goes unread: each is in a claim's quote or listed as not a claim."""

import re

import pytest
from conftest import ROOT, SOURCE_000

SOURCE_003 = "annotations/sources/003_25e5ca3ece719531.yaml"

C03 = """  - id: c03
    fact: msft-fr-training
    quote: offer training to 1 million people
    start: 1267
    end: 1301
    subject: Microsoft
    metric: people_trained
    value: 1000000
    unit: people
    qualifier: unhedged
    attribution: reporter
"""
NOT_CLAIMS = """  - text: Articolo 1 di 3
    start: 4143
    reason: page furniture (a related-articles counter)
"""


@pytest.mark.data
def test_build_prints_coverage_per_seed(package, capsys):
    status, out, _ = package.build(capsys)
    assert status == 0
    lines = re.findall(r"coverage (\S+): (\d+) figures, (\d+) in claims, (\d+) listed as not claims", out)
    assert {source for source, *_ in lines} == {p.stem for p in (package.root / "annotations/sources").glob("*.yaml")}
    assert all(int(total) == int(claimed) + int(listed) for _, total, claimed, listed in lines)


def test_removing_a_claim_names_the_uncovered_figure(package, capsys):
    before = package.outputs()
    package.edit(SOURCE_000, C03, "")
    status, _, err = package.build(capsys)
    assert status == 1
    seed = (ROOT / "seeds/000_a740679b1ad3bc90.txt").read_text(encoding="utf-8")
    at = seed.index("1 million")
    assert (f"seeds/000_a740679b1ad3bc90.txt:{seed.count(chr(10), 0, at) + 1}: figure '1 million': "
            "figure is in no claim's quote and not listed under not_claims") in err
    assert f"under not_claims: - text: '1 million', start: {at}" in err
    assert package.outputs() == before


def test_removing_a_not_claims_entry_names_the_figure(package, capsys):
    package.edit(SOURCE_003, "not_claims:\n" + NOT_CLAIMS, "")
    status, _, err = package.build(capsys)
    assert status == 1 and "seeds/003_25e5ca3ece719531.txt:" in err and "figure '1'" in err


def test_not_claims_entry_must_stand_at_its_offset(package, capsys):
    package.edit(SOURCE_003, "    start: 4143\n", "    start: 4144\n")
    status, _, err = package.build(capsys)
    assert status == 1
    assert f"{SOURCE_003}:" in err and "not_claims entry: text not found verbatim at its start" in err
    assert "it occurs at start: 4143" in err


def test_not_claims_entry_without_start_is_found_in_the_seed(package, capsys):
    package.edit(SOURCE_003, "    start: 4143\n", "")
    status, _, err = package.build(capsys)
    assert status == 0, err


def test_a_number_in_words_is_a_figure_the_coverage_gate_asks_about(package, capsys):
    seed = package.root / "seeds/003_25e5ca3ece719531.txt"
    from pledges.reading.numbers import mentions
    text = seed.read_text(encoding="utf-8")
    assert any(text[a:b] == "un milione" for a, b in mentions(text, "it"))
    package.edit(SOURCE_003, """  - id: c06
    fact: msft-fr-training
    quote: supportare la formazione sull’AI per un milione di cittadini francesi entro la fine del 2027
    start: 1935
    end: 2027
""", """  - id: c06
    fact: msft-fr-training
    quote: supportare la formazione sull’AI per
    inferred: the test removes the figure from the quote
""")
    status, _, err = package.build(capsys)
    assert status == 1 and "figure 'un milione': figure is in no claim's quote" in err


def test_datelines_are_dates_not_figures():
    from pledges.reading.numbers import mentions
    for text, language in [("PARIS, 14 mai (Reuters) - Rien.", "fr"), ("ROMA, 13 mag. (ANSA) - Niente.", "it"),
                           ("date 2024-05 | May 13, 2024, 10:30", "en"), ("Pubblicato il 17 mag 2024", "it")]:
        assert mentions(text, language) == [], text


def test_not_claims_entry_that_covers_no_figure_is_refused(package, capsys):
    package.edit(SOURCE_003, NOT_CLAIMS, NOT_CLAIMS + "  - text: Microsoft investe\n    start: 14\n    reason: none\n")
    status, _, err = package.build(capsys)
    assert status == 1 and "not_claims entry: entry covers no figure" in err


def test_spans_say_which_quote_or_entry_holds_a_figure():
    from pledges.checks.coverage import Spans

    spans = Spans([(10, 20), (0, 5), (8, 30), (12, 16)])
    assert spans.any_holds(12, 15) and spans.first_holding(12, 15) == 3  # three hold it: the nearest start
    assert spans.first_holding(21, 25) == 2
    assert not spans.any_holds(6, 8) and spans.first_holding(6, 8) is None  # between spans
    assert not spans.any_holds(25, 31)  # starts inside one, ends past it
    assert Spans([]).first_holding(0, 1) is None
