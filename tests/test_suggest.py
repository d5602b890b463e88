"""make suggest drafts annotations the build accepts; make eval measures every field on texts it was not fitted to."""

import re

import pytest
from conftest import ROOT

from pledges.checks.annotations import check_quote, check_value_stated
from pledges.inputs.annotations import load, load_source
from pledges.suggest.corpus import read_texts
from pledges.suggest.draft import detect_language, draft, main, organisations, suggest
from pledges.suggest.evaluate import SETS, below_floor, measure, read_floors
from pledges.suggest.evaluate import main as evaluate

pytestmark = pytest.mark.data  # depends on the package's data: run again when a source is added

_, SOURCES = load(ROOT)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.source_id[:3])
def test_language_is_detected_as_the_annotator_recorded_it(source):
    assert detect_language(source.text) == source.language


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.source_id[:3])
def test_draft_loads_and_every_quote_and_value_checks_out(source, tmp_path, capsys):
    seed = ROOT / "seeds" / source.seed
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    assert main([f"seeds/{seed.name}", "--out", "annotations/sources", "--root", str(tmp_path)]) == 0
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
    for entry in drafted.not_claims:  # a not-claim names its figure where the seed has it, with a reason
        assert source.text[entry.start:entry.end] == entry.text and entry.reason


def test_draft_marks_a_currency_it_infers(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Le groupe investira 4 milliards.\n"
                    "Il a déjà investi 12 milliards d'euros et 3 milliards d'euros.\n",
                    encoding="utf-8")
    text = draft(seed)
    assert "inferred: no currency written; the article's other amounts are mostly in EUR" in text


def test_draft_dates_the_article_from_its_dateline(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Publié le 14 mai 2024\n\nAmazon créera 500 emplois d'ici la fin de l'année.\n", encoding="utf-8")
    text = draft(seed)
    assert "published: 2024-05-14" in text and "date_evidence: 14 mai 2024" in text
    assert "target_date: 2024-12-31" in text and "metric: jobs" in text


def test_draft_lists_the_figures_it_does_not_claim_with_their_reason(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Acme will invest €2bn in Lyon. Its revenue reached €9bn last year, and it ranks 3rd in Europe.\n",
                    encoding="utf-8")
    text = draft(seed)
    assert "value: 2000000000" in text and "value: 9000000000" not in text
    assert re.search(r"not_claims:\n  - text: €9bn\n    start: \d+\n    reason: money that is not a pledge", text)


def test_draft_writes_who_states_a_figure(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("Acme said it would invest €2bn in Lyon.\n", encoding="utf-8")
    assert "\n    attribution: company\n" in draft(seed)


@pytest.mark.parametrize("sentence, language, metric", [
    ("Acme will invest €40m in a plant near Lyon.", "en", "investment"),
    ("Acme formera 2 000 personnes à l'IA.", "fr", "people_trained"),
    ("Acme a présenté un plan: 2 000 personnes.", "fr", "TODO unknown metric (people)"),
    ("Acme costruirà un campus da 120 megawatt.", "it", "datacentre_capacity"),
    ("Acme will deploy 4,000 graphics processing units.", "en", "gpus"),
])
def test_metric_is_drafted_only_where_the_words_support_it(sentence, language, metric):
    [suggestion] = suggest(sentence, language)
    assert suggestion.claim and suggestion.metric == metric


@pytest.mark.parametrize("sentence, language, reason", [
    ("Acme's revenue reached €40m last year.", "en", "money that is not a pledge"),
    ("Acme costruirà tre siti in Lombardia.", "it", "a count of sites"),
    ("Acme will pay 75 billion CFA francs for the site.", "en", "a currency without an ECB reference rate"),
    ("Acme va investir 5 milliards de dirhams au Maroc.", "fr", "a currency without an ECB reference rate"),
    ("($1 = 0.92 euros)", "en", "an exchange-rate note"),
    ("Au total, 56 projets représentant 15 milliards d'euros ont été annoncés.", "fr", "a total over many"),
    ("Acme will cut 300 jobs in Lyon.", "en", "jobs cut"),
    ("Spain generated 56% of its electricity from renewables.", "en", "energy mix"),
])
def test_a_figure_that_is_not_a_pledge_is_drafted_as_a_not_claim_with_its_reason(sentence, language, reason):
    drafted = suggest(sentence, language)
    assert drafted and all(not s.claim for s in drafted)
    assert reason in drafted[-1].reason


@pytest.mark.parametrize("sentence, language, subject", [
    ("Contoso and Fabrikam will together invest €2bn in France.", "en", "Contoso and Fabrikam"),
    ("Contoso e Fabrikam investiranno 2 miliardi di euro.", "it", "Contoso and Fabrikam"),
    ("In Paris, Contoso said it would hire 300 people.", "en", "Contoso"),
    ("Contoso is growing. It will also hire 300 engineers in France.", "en", "Contoso"),
    ("Contoso a signé. Fabrikam, présent au même salon, a promis 20 millions d'euros.", "fr", "Fabrikam"),
    ("Le géant de Redmond investira 4 milliards d'euros.", "fr", "Microsoft"),
    ("Il gruppo di Contoso a Novara darà lavoro a 900 persone.", "it", "TODO"),
    ('"We will hire 200 people," said Jane Roe, head of operations at Contoso.', "en", "Contoso"),
    ("Chief executive Jane Roe said Contoso would spend $1bn.", "en", "Contoso"),
    ("Contoso opened a lab. In Senegal, a local operator will build a 20 MW site.", "en", "TODO"),
    ("The firm will deploy 4,000 Nvidia chips.", "en", "TODO"),
])
def test_subject_is_the_organisation_the_sentence_is_about(sentence, language, subject):
    assert suggest(sentence, language)[-1].subject.startswith(subject)


def test_a_headline_figure_belongs_to_the_organisation_the_article_is_about():
    text = ("ALTRI 500 POSTI A TORINO\n\n"
            "TORINO, 13 apr 2025 - Contoso aprirà un centro a Torino, con 500 posti di lavoro.\n")
    assert [s.subject for s in suggest(text, "it")] == ["Contoso", "Contoso"]


def test_a_pronoun_refers_to_the_subject_of_the_sentence_before_not_its_object():
    text = "Contoso invested €1bn in Fabrikam last year. It will also invest €2bn in Lyon."
    assert [s.subject for s in suggest(text, "en")] == ["Contoso", "Contoso"]


def test_countries_months_places_and_datelines_are_not_organisations():
    names = [name for _, _, name in organisations(
        "PARIS, 19 mai 2025 (AFP) - In May, France and Germany said Italy would invest. Contoso will too.")]
    assert names == ["Contoso"]


@pytest.mark.parametrize("sentence, language, published, targets", [
    ("Acme will invest €1bn and deploy 5,000 GPUs by the end of 2026.", "en", None, ["", "2026-12-31"]),
    ("Acme va former 1 million de personnes et soutenir 300 start-up d'ici 2027.", "fr", None, ["2027-12-31"] * 2),
    ("Entro il 2026 Acme assumerà 200 persone.", "it", None, ["2026-12-31"]),
    ("Acme créera 200 emplois pour 2025 et 100 autres emplois d'ici fin 2027.", "fr", None,
     ["2025-12-31", "2027-12-31"]),
    ("Acme will invest EUR 20bn (about $20.7bn) by 2030.", "en", None, ["2030-12-31"] * 2),
    ("Acme will invest €1bn over the next five years.", "en", "2025-05-19", ["2030-05-19"]),
    ("Acme investira 1 milliard d'euros sur une période de deux ans.", "fr", "2024-02-15", ["2026-02-15"]),
    ("Acme investirà 300 milioni di euro nell'arco dei prossimi due anni.", "it", "2025-03-14", ["2027-03-14"]),
    ("Acme créera 100 emplois d'ici la fin de l'année prochaine.", "fr", "2024-10-03", ["2025-12-31"]),
    ("Acme will hire 100 people by the third quarter of 2026.", "en", None, ["2026-09-30"]),
    ("Acme mettra en service 60 MW d'ici le troisième trimestre 2025.", "fr", None, ["2025-09-30"]),
    ("Acme assumerà 200 persone entro giugno 2026.", "it", None, ["2026-06-30"]),
    ("Acme will invest €1bn over the next five years.", "en", None, ["TODO (the article's date is unknown)"]),
    ("Acme trained 250,000 people in 2023 and hopes to reach a million by 2025.", "en", None, ["", "2025-12-31"]),
    ("Acme employs 600 people and expects to double that by 2026.", "en", None, [""]),
])
def test_deadline_is_attached_to_the_figures_it_governs(sentence, language, published, targets):
    from datetime import date
    given = date.fromisoformat(published) if published else None
    assert [s.target_date for s in suggest(sentence, language, published=given) if s.claim] == targets


def test_a_deadline_over_the_same_period_is_the_one_stated_before():
    text = ("Acme formera 1 million de personnes d'ici fin 2027.\n"
            "Acme soutiendra 2 500 start-up, toujours sur cette même période.")
    assert [s.target_date for s in suggest(text, "fr")] == ["2027-12-31", "2027-12-31"]


@pytest.mark.parametrize("sentence, language, attribution", [
    ("Acme said it would invest €2bn in Lyon.", "en", "company"),
    ('"We will invest €2bn," said Jane Roe, chief executive of Acme.', "en", "company"),
    ("According to the government, Acme will invest €2bn.", "en", "other"),
    ("Secondo la Regione, Acme investirà 90 milioni di euro.", "it", "other"),
    ("Acme investira 2 milliards d'euros à Lyon.", "fr", "reporter"),
    ("Acme et Fabrikam investiront 2 milliards d'euros, ont-ils annoncé.", "fr", "company"),
])
def test_who_states_a_figure_is_drafted(sentence, language, attribution):
    assert suggest(sentence, language)[0].attribution == attribution


def test_quote_is_the_clause_that_states_the_figure():
    text = ("PARIS, 14 mai (Reuters) - Acme, qui emploie déjà beaucoup de monde dans la région parisienne, "
            "a annoncé lundi qu'elle investirait 2 milliards d'euros dans trois nouveaux sites; "
            "le chantier débutera en juin.")
    [money, sites] = suggest(text, "fr")
    quote = text[money.quote_start:money.quote_end]
    assert "2 milliards d'euros" in quote and "Reuters" not in quote and "chantier" not in quote
    assert len(quote) < 120


def test_a_long_clause_is_cut_on_a_word_boundary():
    text = "Acme " + "very " * 60 + "big news: it will invest €2bn."
    [money] = suggest(text, "en")
    assert text[money.quote_start - 1] == " " and "€2bn" in text[money.quote_start:money.quote_end]


@pytest.mark.parametrize("name", sorted(SETS))
def test_evaluation_texts_are_well_formed(name):
    texts = read_texts(ROOT, SETS[name])
    assert texts and {t.language for t in texts} <= {"en", "fr", "it"}


@pytest.mark.parametrize("name", ["corpus", "holdout"])
def test_every_field_of_a_gated_set_stays_at_or_above_its_floor(name):
    assert below_floor(name, measure(name), read_floors()) == []


def test_suggester_documentation_states_the_measured_figures(capsys):
    assert evaluate([]) == 0
    out = capsys.readouterr().out
    documentation = (ROOT / "docs" / "suggester.md").read_text(encoding="utf-8")
    for line in out.splitlines():
        if line.startswith("suggester on the") and "seeds" not in line:
            assert line in documentation


def test_missing_seed_is_a_clear_error(capsys, tmp_path):
    assert main(["seeds/nope.txt", "--root", str(tmp_path)]) == 1
    assert "no such seed file" in capsys.readouterr().err


def test_a_seed_or_drafts_folder_outside_the_package_is_refused(capsys, tmp_path):
    assert main([str(tmp_path / "x.txt")]) == 1 and "not inside the package" in capsys.readouterr().err
    assert main(["seeds/000_a740679b1ad3bc90.txt", "--out", "../elsewhere"]) == 1


def test_a_draft_is_never_written_through_a_link(tmp_path):
    (tmp_path / "seeds").mkdir()
    seed = ROOT / "seeds" / SOURCES[0].seed
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "drafts").mkdir()
    (tmp_path / "outside.yaml").write_text("untouched\n")
    (tmp_path / "drafts" / f"{seed.stem}.yaml").symlink_to(tmp_path / "outside.yaml")
    assert main([f"seeds/{seed.name}", "--root", str(tmp_path)]) == 0
    assert (tmp_path / "outside.yaml").read_text() == "untouched\n"
    assert not (tmp_path / "drafts" / f"{seed.stem}.yaml").is_symlink()


@pytest.mark.parametrize("written, message", [
    ("400 = 400 jobs; subject Acme; metric jobs", "is not '<words in the text>[ @N] = <value> <unit>"),
    ("300 = 300 jobs; metric jobs", "has no subject"),
    ("300 = 300 jobs; subject Acme; metric jobs; by 2026", "is not an ISO date"),
    ("300 = 300 jobs; subject Acme; metric jobs; colour red", "is not '<field> <value>'"),
])
def test_a_malformed_evaluation_figure_is_named_with_its_line(tmp_path, written, message):
    path = tmp_path / "evaluation" / "corpus.yaml"
    path.parent.mkdir()
    path.write_text('sentences:\n  - lang: en\n    text: "Acme will hire 300 people."\n    figures:\n'
                    f'      - "{written}"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        read_texts(tmp_path, "evaluation/corpus.yaml")
    assert "evaluation/corpus.yaml:5" in str(raised.value)
