"""make suggest drafts annotations the build accepts, and recovers the hand-annotated figures."""

import json
from pathlib import Path

import pytest

from conftest import ROOT
from pledges.annotations import load_source
from pledges.check import check_quote, check_value_stated
from pledges.evaluate import score, summary, totals
from pledges.suggest import detect_language, draft, main

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LANGUAGES = {"000": "en", "001": "en", "002": "en", "003": "it", "004": "fr"}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_language_is_detected(seed):
    assert detect_language(seed.read_text(encoding="utf-8")) == LANGUAGES[seed.stem[:3]]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_draft_loads_and_every_quote_and_value_checks_out(seed, tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    assert main([str(seed), "--out", str(tmp_path / "annotations/sources")]) == 0
    problems = []
    source = load_source(tmp_path, tmp_path / "annotations/sources" / f"{seed.stem}.yaml", problems)
    assert problems == [] and source.claims
    for claim in source.claims:
        found = []
        def problem(*args, found=found):
            found.append(args)
        assert check_quote(source, claim, problem)
        check_value_stated(source, claim, problem)
        assert found == [], (claim.id, found)


def test_draft_marks_a_currency_it_infers():
    text = draft(ROOT / "seeds/004_c4c635be39286977.txt")
    assert "quote: Microsoft va investir 4 milliards en France (IA)" in text
    assert "inferred: no currency written; the article's other amounts are mostly in EUR" in text


def test_suggester_recall_and_precision_do_not_drop_below_the_recorded_figures():
    baseline = json.loads((Path(__file__).parent / "suggester_baseline.json").read_text())
    total = totals(score())
    assert total.recovered / total.claims >= baseline["recall"]
    assert total.correct / total.suggestions >= baseline["precision"]


def test_readme_states_the_measured_figures():
    assert f"suggester: {summary(score())}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_missing_seed_is_a_clear_error(capsys, tmp_path):
    assert main([str(tmp_path / "nope.txt")]) == 1
    assert "no such seed file" in capsys.readouterr().err
