"""The figure parser reads numbers the way English, French and Italian write them."""

from decimal import Decimal

import pytest

from pledges.reading.numbers import find_figures


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
    ("$10 billion+", "en", "at_least"),
    ("1 million people", "en", "unhedged"),
])
def test_hedge_before_a_figure_is_its_qualifier(text, language, qualifier):
    assert find_figures(text, language)[0].qualifier == qualifier


def test_figure_span_points_at_its_words():
    text = "Amazon Web Services (AWS) will invest around $1.3bn (€1.2bn) in France"
    spans = [text[f.start:f.end] for f in find_figures(text, "en")]
    assert spans == ["$1.3bn", "€1.2bn"]


@pytest.mark.parametrize("text", ["two of the biggest datacentre firms", "the AI company G42",
                                  "pump billions of euros"])
def test_words_that_are_not_figures_are_ignored(text):
    assert find_figures(text, "en") == []


def test_every_currency_the_parser_reads_is_an_iso_4217_code():
    import pycountry

    from pledges.reading.numbers import currency_words

    symbols, names = currency_words()
    codes = {*symbols.values(), *names.values()}
    assert codes and all(pycountry.currencies.get(alpha_3=code) for code in codes)


@pytest.mark.parametrize("text, language, value, unit", [
    ("plus de 3.000 emplois", "fr", "3000", None),       # newswire dot groups thousands in French
    ("25.000 GPU", "fr", "25000", None),
    ("24.000 salariés", "fr", "24000", None),
    ("25.000 chip", "it", "25000", None),
    ("1.2bn euros", "en", "1200000000", "EUR"),          # a decimal point in English
    ("1.5 milliard d'euros", "fr", "1500000000", "EUR"),  # not three digits: a decimal point
    ("3 000 emplois", "fr", "3000", None),         # narrow no-break space
    ("1,234.5 MW", "en", "1234.5", "MW"),
    ("four billion euros", "en", "4000000000", "EUR"),
    ("quatre milliards d'euros", "fr", "4000000000", "EUR"),
    ("tre miliardi di euro", "it", "3000000000", "EUR"),
    ("un million et demi de personnes", "fr", "1500000", None),
    ("one and a half million people", "en", "1500000", None),
    ("half a billion dollars", "en", "500000000", "USD"),
    ("1,2 Md€", "fr", "1200000000", "EUR"),
    ("150 M€", "fr", "150000000", "EUR"),
    ("100 mln di dollari", "it", "100000000", "USD"),
    ("£250 million", "en", "250000000", "GBP"),
    ("2 milliards de livres sterling", "fr", "2000000000", "GBP"),
    ("5 miliardi di corone svedesi", "it", "5000000000", "SEK"),
    ("CHF 400 million", "en", "400000000", "CHF"),
    ("PLN 3bn", "en", "3000000000", "PLN"),
    ("40 mégawatts", "fr", "40", "MW"),
    ("2.5GW", "en", "2500", "MW"),
])
def test_number_styles_of_the_three_languages(text, language, value, unit):
    [figure] = find_figures(text, language)
    assert (figure.value, figure.unit) == (Decimal(value), unit)


@pytest.mark.parametrize("text, language, value", [
    ("une cinquantaine d'embauches", "fr", 50), ("une dizaine de sites", "fr", 10),
    ("una decina di ingegneri", "it", 10), ("una trentina di aziende", "it", 30), ("a dozen sites", "en", 12),
])
def test_collective_nouns_are_approximate_values(text, language, value):
    [figure] = find_figures(text, language)
    assert (figure.value, figure.qualifier) == (value, "about")


@pytest.mark.parametrize("text, language, low, high, unit", [
    ("EUR 1.2-1.5 billion", "en", "1.2e9", "1.5e9", "EUR"),
    ("between €2bn and €2.5bn", "en", "2e9", "2.5e9", "EUR"),
    ("entre 2 et 3 milliards d'euros", "fr", "2e9", "3e9", "EUR"),
    ("30 à 50 milliards d'euros", "fr", "3e10", "5e10", "EUR"),
    ("tra i 200 e i 250 milioni di euro", "it", "2e8", "2.5e8", "EUR"),
    ("$2 billion to $3 billion", "en", "2e9", "3e9", "USD"),
])
def test_a_range_stays_a_range(text, language, low, high, unit):
    [figure] = find_figures(text, language)
    assert (figure.value, figure.value_to, figure.unit) == (Decimal(low), Decimal(high), unit)


@pytest.mark.parametrize("text, language, qualifier", [
    ("exceeding €1bn", "en", "more_than"), ("upwards of 3,000 jobs", "en", "more_than"),
    ("environ 70 %", "fr", "about"), ("au moins 500 millions", "fr", "at_least"), ("almeno 20mila", "it", "at_least"),
    ("quasi 25mila GPU", "it", "nearly"), ("fino a 100.000 studenti", "it", "up_to"),
    ("4 milliards ou plus", "fr", "at_least"),
])
def test_hedges_of_the_three_languages(text, language, qualifier):
    assert find_figures(text, language)[0].qualifier == qualifier


def test_a_hedge_governs_the_bracketed_conversion_too():
    figures = find_figures("more than EUR 1.2bn ($1.3bn)", "en")
    assert [f.qualifier for f in figures] == ["more_than", "more_than"]


@pytest.mark.parametrize("text, language", [
    ("in 2023 the group", "en"), ("depuis 1983", "fr"), ("13 mag. 2024", "it"), ("date 2024-05", "en"),
    ("two of the biggest firms", "en"), ("une jeune pousse", "fr"), ("des millions d'euros", "fr"),
])
def test_dates_years_and_articles_are_not_figures(text, language):
    assert find_figures(text, language) == []


@pytest.mark.parametrize("text, language, value", [
    ("vingt millions et demi d'euros", "fr", "20500000"),
    ("deux milliards et demi", "fr", "2500000000"),
    ("un miliardo e mezzo di euro", "it", "1500000000"),
])
def test_a_half_adds_half_of_the_scale_written(text, language, value):
    [figure] = find_figures(text, language)
    assert figure.value == Decimal(value)


@pytest.mark.parametrize("text, language, value, unit", [
    ("a one-billion-dollar plan", "en", "1000000000", "USD"),
    ("a 600-million-euro plan", "en", "600000000", "EUR"),
    ("a 120-megawatt campus", "en", "120", "MW"),
    ("a quarter of a billion dollars", "en", "250000000", "USD"),
    ("half a billion euros", "en", "500000000", "EUR"),
    ("un campus d'un gigawatt", "fr", "1000", "MW"),
    ("a gigawatt of capacity", "en", "1000", "MW"),
    ("584 mégawatts", "fr", "584", "MW"),
    ("500 million Swedish crowns", "en", "500000000", "SEK"),
    ("6 billion Danish crowns", "en", "6000000000", "DKK"),
    ("4 billion rand", "en", "4000000000", "ZAR"),
])
def test_compounds_fractions_and_currency_names_are_read(text, language, value, unit):
    [figure] = find_figures(text, language)
    assert (figure.value, figure.unit) == (Decimal(value), unit)


@pytest.mark.parametrize("text, language", [
    ("75 billion CFA francs", "en"), ("5 milliards de francs CFA", "fr"), ("5 milliards de dirhams", "fr"),
])
def test_a_currency_without_an_ecb_rate_is_named_as_such_never_as_another(text, language):
    [figure] = find_figures(text, language)
    assert figure.unit not in ("CHF", "EUR", None) and figure.unit.isupper()


@pytest.mark.parametrize("text, language", [
    ("over 10 years", "en"), ("6 months ago", "en"), ("ranks 3rd in Europe", "en"), ("au 2e rang", "fr"),
    ("al 12/o posto", "it"), ("OSLO, Sept 18, 2024 -", "en"), ("in 5 anni", "it"),
])
def test_durations_ordinals_and_dates_are_not_figures(text, language):
    assert find_figures(text, language) == []


def test_square_metres_are_counted_as_such():
    from pledges.reading.numbers import counted_unit
    assert counted_unit("24,000 m2 building", 6, "en") == "square_metres"
