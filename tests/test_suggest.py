"""make suggest drafts annotations the build accepts; make eval measures it on sentences it was not fitted to."""

import json
from pathlib import Path

import pytest
from conftest import ROOT

from pledges.checks.annotations import check_quote, check_value_stated
from pledges.inputs.annotations import load, load_source
from pledges.suggest.draft import detect_language, draft, main, organisations, suggest
from pledges.suggest.evaluate import CORPUS, HOLDOUT, corpus_scores, read_sentences
from pledges.suggest.evaluate import main as evaluate

_, SOURCES = load(ROOT)
BASELINE = json.loads((Path(__file__).parent / "suggester_baseline.json").read_text())


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.source_id[:3])
def test_language_is_detected_as_the_annotator_recorded_it(source):
    assert detect_language(source.text) == source.language


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.source_id[:3])
def test_draft_loads_and_every_quote_and_value_checks_out(source, tmp_path, capsys):
    seed = ROOT / "seeds" / source.seed
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    assert main([str(seed), "--out", str(tmp_path / "annotations/sources")]) == 0
    problems = []
    drafted = load_source(tmp_path, f"annotations/sources/{seed.stem}.yaml", problems)
    assert problems == [] and drafted.claims
    for claim in drafted.claims:
        found = []
        def problem(*args, found=found):
            found.append(args)
        assert check_quote(drafted, claim, problem)
        check_value_stated(drafted, claim, problem)
        assert found == [], (claim.id, found)


def test_draft_marks_a_currency_it_infers(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Le groupe investira 4 milliards.\nIl a déjà investi 12 milliards d'euros et 3 milliards d'euros.\n",
                    encoding="utf-8")
    text = draft(seed)
    assert "inferred: no currency written; the article's other amounts are mostly in EUR" in text


def test_draft_dates_the_article_from_its_dateline(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Publié le 14 mai 2024\n\nAmazon créera 500 emplois d'ici la fin de l'année.\n", encoding="utf-8")
    text = draft(seed)
    assert "published: 2024-05-14" in text and "date_evidence: 14 mai 2024" in text
    assert "target_date: 2024-12-31" in text and "metric: jobs" in text


@pytest.mark.parametrize("sentence, language, metric", [
    ("Acme will invest €40m in a plant near Lyon.", "en", "investment"),
    ("Acme's revenue reached €40m last year.", "en", "TODO unknown metric (EUR)"),
    ("Acme formera 2 000 personnes à l'IA.", "fr", "people_trained"),
    ("Acme a reçu 2 000 personnes à son salon.", "fr", "TODO unknown metric (people)"),
    ("Acme costruirà tre siti in Lombardia.", "it", "TODO unknown metric (sites)"),
])
def test_metric_is_drafted_only_where_the_words_support_it(sentence, language, metric):
    [suggestion] = suggest(sentence, language)
    assert suggestion.metric == metric


@pytest.mark.parametrize("sentence, language, subject", [
    ("Contoso and Fabrikam will together invest €2bn in France.", "en", "Contoso and Fabrikam"),
    ("Contoso e Fabrikam investiranno 2 miliardi di euro.", "it", "Contoso and Fabrikam"),
    ("In Paris, Contoso said it would hire 300 people.", "en", "Contoso"),
    ("Contoso is growing. It will also hire 300 engineers in France.", "en", "Contoso"),
])
def test_subject_is_the_organisation_the_sentence_is_about(sentence, language, subject):
    assert suggest(sentence, language)[-1].subject == subject


def test_countries_months_and_places_are_not_organisations():
    names = [name for _, _, name in organisations("In May, France and Germany said Italy would invest. Contoso will too.")]
    assert names == ["Contoso"]


@pytest.mark.parametrize("sentence, language, targets", [
    ("Acme will invest €1bn and deploy 5,000 GPUs by the end of 2026.", "en", ["", "2026-12-31"]),
    ("Acme va former 1 million de personnes et soutenir 300 start-up d'ici 2027.", "fr", ["2027-12-31", "2027-12-31"]),
    ("Entro il 2026 Acme assumerà 200 persone.", "it", ["2026-12-31"]),
    ("Acme créera 200 emplois pour 2025 et 100 autres emplois d'ici fin 2027.", "fr", ["2025-12-31", "2027-12-31"]),
])
def test_deadline_is_attached_to_the_figures_it_governs(sentence, language, targets):
    assert [s.target_date for s in suggest(sentence, language)] == targets


def test_quote_is_the_clause_that_states_the_figure():
    text = ("PARIS, 14 mai (Reuters) - Acme, qui emploie déjà beaucoup de monde dans la région parisienne, "
            "a annoncé lundi qu'elle investirait 2 milliards d'euros dans trois nouveaux sites; le chantier débutera en juin.")
    [money, sites] = suggest(text, "fr")
    quote = text[money.quote_start:money.quote_end]
    assert "2 milliards d'euros" in quote and "Reuters" not in quote and "chantier" not in quote
    assert len(quote) < 120


@pytest.mark.parametrize("path", [CORPUS, HOLDOUT])
def test_evaluation_sentences_are_well_formed(path):
    sentences = read_sentences(ROOT / path)
    assert {language for language, _, _ in sentences} <= {"en", "fr", "it"}


@pytest.mark.parametrize("path", [CORPUS, HOLDOUT])
def test_suggester_recall_and_precision_do_not_drop_below_the_recorded_floor(path):
    score = corpus_scores(ROOT / path)["all"]
    assert score.recall >= BASELINE[path]["recall"], score.failures
    assert score.precision >= BASELINE[path]["precision"], score.failures


def test_readme_states_the_measured_figures(capsys):
    assert evaluate([]) == 0
    out = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in out.splitlines():
        if line.startswith("suggester on the") and "seeds" not in line:
            assert line in readme


def test_missing_seed_is_a_clear_error(capsys, tmp_path):
    assert main([str(tmp_path / "nope.txt")]) == 1
    assert "no such seed file" in capsys.readouterr().err


def test_a_malformed_evaluation_figure_is_named(tmp_path):
    path = tmp_path / "corpus.yaml"
    path.write_text('sentences:\n  - lang: en\n    text: "Acme will hire 300 people."\n    figures:\n'
                    '      - 400 = 400 jobs\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'400 = 400 jobs' is not '<words in the sentence> = <value> <unit>'"):
        read_sentences(path)
