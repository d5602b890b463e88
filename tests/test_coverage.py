"""No figure in an article goes unread: each is in a claim's quote or listed as not a claim."""

from conftest import SOURCE_000

C03 = """  - id: c03
    fact: msft-fr-training
    quote: offer training to 1 million people
    start: 1267
    end: 1301
    subject: Microsoft
    metric: people_trained
    value: 1000000
    unit: people
    qualifier: exact
"""
NOT_CLAIMS = """not_claims:
  - text: 2024-05-13
    start: 6
    reason: publication date of the article (stated)
"""


def test_build_prints_coverage_per_seed(package, capsys):
    status, out, _ = package.build(capsys)
    assert status == 0
    assert "coverage 000_a740679b1ad3bc90: 10 figures, 9 in claims, 1 listed as not claims" in out
    assert "coverage 004_c4c635be39286977: 12 figures, 12 in claims, 0 listed as not claims" in out


def test_removing_a_claim_names_the_uncovered_figure(package, capsys):
    before = package.outputs()
    package.edit(SOURCE_000, C03, "")
    status, _, err = package.build(capsys)
    assert status == 1
    assert ("seeds/000_a740679b1ad3bc90.txt:9: figure '1 million': "
            "figure is in no claim's quote and not listed under not_claims") in err
    assert "under not_claims: - text: '1 million', start: 1285" in err
    assert package.outputs() == before


def test_removing_a_not_claims_entry_names_the_figure(package, capsys):
    package.edit(SOURCE_000, NOT_CLAIMS, "")
    status, _, err = package.build(capsys)
    assert status == 1 and "seeds/000_a740679b1ad3bc90.txt:1: figure '2024-05-13'" in err


def test_not_claims_entry_must_stand_at_its_offset(package, capsys):
    package.edit(SOURCE_000, "    start: 6\n", "    start: 7\n")
    status, _, err = package.build(capsys)
    assert status == 1
    assert f"{SOURCE_000}:" in err and "not_claims entry: text not found verbatim at its start" in err
    assert "it occurs at start: 6" in err


def test_not_claims_entry_that_covers_no_figure_is_refused(package, capsys):
    package.edit(SOURCE_000, NOT_CLAIMS, NOT_CLAIMS + "  - text: Microsoft and Amazon\n    start: 232\n    reason: none\n")
    status, _, err = package.build(capsys)
    assert status == 1 and "not_claims entry: entry covers no figure" in err
