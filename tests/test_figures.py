"""The figure parser reads numbers the way English, French and Italian write them."""

from decimal import Decimal

import pytest

from pledges.figures import find_figures


@pytest.mark.parametrize("text, language, value, unit", [
    ("€4bn", "en", "4000000000", "EUR"),
    ("$4.3 billion", "en", "4300000000", "USD"),
    ("€5.5B", "en", "5500000000", "EUR"),
    ("$10 billion+", "en", "10000000000", "USD"),
    ("€15 million", "en", "15000000", "EUR"),
    ("4 milliards d'euros", "fr", "4000000000", "EUR"),
    ("15 millions d'euros", "fr", "15000000", "EUR"),
    ("4 miliardi di dollari", "it", "4000000000", "USD"),
    ("4 mld di dollari", "it", "4000000000", "USD"),
    ("25mila GPU", "it", "25000", None),
    ("25 000 GPU", "fr", "25000", None),
    ("2.500 startup", "it", "2500", None),
    ("2,500 startups", "en", "2500", None),
    ("un million de personnes", "fr", "1000000", None),
    ("un milione di cittadini", "it", "1000000", None),
    ("one million people", "en", "1000000", None),
    ("100 % en énergies renouvelables", "fr", "100", "percent"),
])
def test_figure_is_read_in_its_language(text, language, value, unit):
    [figure] = find_figures(text, language)
    assert figure.value == Decimal(value)
    assert figure.unit == unit


def test_same_digits_mean_different_numbers_by_language():
    assert find_figures("2.500", "it")[0].value == 2500
    assert find_figures("2.500", "en")[0].value == Decimal("2.5")


@pytest.mark.parametrize("text, language, qualifier", [
    ("up to 25,000 GPUs", "en", "up_to"),
    ("over 2,500 startups", "en", "more_than"),
    ("more than €1.2bn", "en", "more_than"),
    ("around $1.3bn", "en", "about"),
    ("près d'un million de personnes", "fr", "nearly"),
    ("plus de 2 500 start-up", "fr", "more_than"),
    ("jusqu'à 25 000 GPU", "fr", "up_to"),
    ("più di 2.500 startup", "it", "more_than"),
    ("$10 billion+", "en", "more_than"),
    ("1 million people", "en", "exact"),
])
def test_hedge_before_a_figure_is_its_qualifier(text, language, qualifier):
    assert find_figures(text, language)[0].qualifier == qualifier


def test_figure_span_points_at_its_words():
    text = "Amazon Web Services (AWS) will invest around $1.3bn (€1.2bn) in France"
    spans = [text[f.start:f.end] for f in find_figures(text, "en")]
    assert spans == ["$1.3bn", "€1.2bn"]


@pytest.mark.parametrize("text", ["two of the biggest datacentre firms", "the AI company G42", "pump billions of euros"])
def test_words_that_are_not_figures_are_ignored(text):
    assert find_figures(text, "en") == []


def test_every_currency_the_parser_reads_is_an_iso_4217_code():
    import pycountry

    from pledges.figures import UNIT_AFTER, UNIT_BEFORE

    codes = {code for code in [*UNIT_BEFORE.values(), *UNIT_AFTER.values()] if code != "percent"}
    assert codes and all(pycountry.currencies.get(alpha_3=code) for code in codes)
