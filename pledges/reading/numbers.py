"""Read the figures a piece of English, French or Italian text states: the one figure reader.

The build checks a claim's value against its quote with it, the coverage gate counts its mentions,
and the suggester drafts claims from it, so the three never disagree about what a text says.

What it reads, and where each rule's words come from:

- **Digits**, grouped and pointed as the language writes them (babel gives each locale's group
  and decimal symbols): "2,500" (en), "2 500" and "2 500" (fr), "2.500" (it). Newswire copy in
  French and Italian also groups thousands with a dot, so there a dot followed by exactly three
  digits is a group separator ("3.000 emplois" is 3000), while "1.2bn" in English is a decimal.
  A figure with two kinds of separator ("1.234,5" or "1,234.5") takes the last as the decimal.
- **Numbers in words**, with their scales ("four billion", "quatre milliards", "tre miliardi",
  "ventimila"), read by the text2num library; fractions of a scale ("un million et demi",
  "one and a half million", "half a billion", "un miliardo e mezzo") on top of it.
- **Approximate collective nouns** ("une cinquantaine", "una decina", "a dozen"), read as the
  number they are built on (text2num again) with the qualifier `about`. Plurals ("dozens",
  "des centaines") state no number and are not read.
- **Scales and suffixes**: "bn", "mln", "mld", "Md€", "M€", "k", "25mila", and "+" (at least).
- **Units**: money in every currency the ECB publishes a reference rate for, by ISO code, by
  symbol and by name in the three languages (babel's CLDR data: "£", "francs suisses",
  "corone svedesi"); percentages; power capacity in MW (GW and kW converted to MW).
- **Ranges**, kept as ranges: "EUR 1.2-1.5 billion", "entre 2 et 3 milliards", "$2bn to $3bn".
- **Hedges** before or after the figure ("more than", "près de", "oltre", "or more"), and a hedge
  that governs a figure governs its bracketed conversion too ("more than €1.2bn ($1.3bn)").
- **Dates are not figures**: ISO dates, datelines ("13 mai", "13 mag.", "May 13, 2024"), times,
  and years (a four-digit number from 1900 to 2100 with no unit, hedge or counted thing) are
  returned by `dates()` and never as figures.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache

import pycountry
import text_to_num
from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import (
    get_currency_name,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)
from babel.units import get_unit_name

from pledges import vocabulary
from pledges.tables.schemas import currencies


def languages() -> tuple[str, ...]:
    """The languages the reader reads (the registry's, of the package being worked on), read when
    needed, never on import: a broken registry is then the command's message, not a traceback."""
    return vocabulary.current().names("languages")


@cache
def ecb_currencies() -> tuple[str, ...]:
    """Currencies money may be in: the euro and those the ECB publishes a reference rate for (the
    registry's, read when first needed)."""
    return currencies()


# Scales: abbreviations every language uses, then each language's words ("billion" is 10^12 in French).
ABBREVIATED_SCALES = {"k": 3, "m": 6, "mn": 6, "mln": 6, "mio": 6, "b": 9, "bn": 9, "md": 9, "mds": 9,
                      "mld": 9, "mrd": 9, "mrds": 9, "tn": 12, "trn": 12}
SCALE_WORDS = {
    "en": {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "trillion": 12},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "billion": 12},
    "it": {"mila": 3, "mille": 3, "milione": 6, "milioni": 6, "miliardo": 9, "miliardi": 9},
}
# Scale words that are nouns and need a number or an article: "several hundred", "des millions"
# state no number, while French "mille" and "cent" or Italian "cento" alone do.
NOUN_SCALES = {"hundred", "thousand", "million", "millions", "billion", "billions", "trillion", "milliard",
               "milliards", "milione", "milioni", "miliardo", "miliardi"}
PERCENT = ("%", "per cent", "percent", "pour cent", "pour-cent", "per cento")
POWER = {"power-kilowatt": Decimal("0.001"), "power-megawatt": Decimal(1), "power-gigawatt": Decimal(1000)}
POWER_SYMBOLS = {"kW": Decimal("0.001"), "MW": Decimal(1), "GW": Decimal(1000), "MWe": Decimal(1)}

# Hedges, in the three languages; the longest match wins, so "more than" beats "more".
HEDGES_BEFORE = {
    "up_to": ("up to", "as many as", "as much as", "no more than", "less than", "under", "jusqu'à",
              "jusqu’à", "moins de", "moins d'", "moins d’", "fino a", "fino ai", "fino al", "meno di",
              "non più di"),
    "more_than": ("more than", "over", "above", "exceeding", "exceeded", "in excess of", "upwards of",
                  "north of", "topping", "plus de", "plus d'", "plus d’", "au-delà de", "dépasse",
                  "dépassé", "dépassera", "dépasser", "supérieur à", "oltre", "più di", "superato",
                  "supera", "superare", "superiore a", "sopra"),
    "at_least": ("at least", "no fewer than", "no less than", "a minimum of", "au moins", "pas moins de",
                 "au minimum", "almeno", "non meno di", "minimo"),
    "about": ("about", "around", "approximately", "roughly", "some", "an estimated", "circa", "environ",
              "quelque", "autour de", "de l'ordre de", "de l’ordre de", "approximativement", "intorno a",
              "intorno ai", "attorno a", "attorno ai", "all'incirca", "più o meno"),
    "nearly": ("nearly", "almost", "close to", "just under", "près de", "près d'", "près d’", "presque",
               "quasiment", "quasi", "pressoché", "vicino a"),
}
HEDGES_AFTER = {"at_least": ("+", "or more", "and more", "et plus", "ou plus", "e più", "o più", "e oltre"),
                "about": ("circa", "environ")}

# Collective nouns: "une cinquantaine" is about 50. The stem's number comes from text2num; these
# few do not end in the number word they are built on.
COLLECTIVE_STEMS = {"dizaine": "dix", "douzaine": "douze", "quinzaine": "quinze", "decina": "dieci",
                    "dozzina": "dodici", "centinaio": "cento", "migliaio": "mille", "millier": "mille",
                    "dozen": "twelve", "score": "twenty"}
COLLECTIVE = re.compile(r"\b(?:une?|a|una)\s+([a-zàâéèêîôûç]+(?:aine|ina|aio|ier)|dozen|score)\b", re.IGNORECASE)

# What a count counts, by the nouns that follow it (singular and plural, three languages).
COUNTED = {
    "jobs": ("jobs", "job", "positions", "position", "posts", "roles", "hires", "recruits", "emplois",
             "emploi", "postes", "poste", "embauches", "recrutements", "créations", "posti", "posto",
             "assunzioni", "nuovi posti", "occupati"),
    "employees": ("employees", "staff", "workers", "builders", "construction workers", "ouvriers", "operai",
                  "engineers", "technicians", "researchers", "managers",
                  "site managers", "salariés", "salarié", "employés", "collaborateurs", "ingénieurs",
                  "techniciens", "chercheurs", "dipendenti", "lavoratori", "addetti", "ingegneri",
                  "tecnici", "ricercatori"),
    "people": ("apprentices", "apprentis", "apprendisti", "trainees", "stagiaires", "tirocinanti", "job seekers",
               "jobseekers", "demandeurs d'emploi", "demandeurs d’emploi", "disoccupati",
               "people", "persons", "individuals", "citizens", "students", "learners", "teachers",
               "young people", "personnes", "individus", "citoyens", "étudiants", "jeunes", "apprenants",
               "persone", "cittadini", "studenti", "individui", "giovani", "business leaders"),
    "startups": ("startups", "startup", "start-ups", "start-up", "jeunes pousses", "jeune pousse"),
    "gpus": ("gpus", "gpu", "chips", "chip", "graphics processors", "graphics processing units", "unités de traitement",
             "chip grafici", "schede grafiche", "cartes graphiques", "unità di elaborazione", "processors",
             "accelerators", "processeurs graphiques",
             "puces", "processeurs", "processori grafici", "processori", "acceleratori"),
    "sites": ("sites", "site", "datacentres", "datacenters", "data centres", "data centers", "campuses",
              "campus", "centres de données", "centres", "data center", "centri dati", "siti", "regions",
              "facilities", "availability zones", "installations", "strutture", "sedi", "usines", "plants",
              "warehouses", "warehouse", "entrepôts", "entrepôt", "magazzini", "magazzino", "server farms",
              "logistics centres", "logistics centers"),
    "companies": ("companies", "firms", "businesses", "small businesses", "smes", "pme", "pmi", "tpe", "entreprises",
                  "sociétés", "aziende", "imprese", "società"),
    "projects": ("projects", "projets", "progetti"),
    "servers": ("servers", "serveurs", "server"),
    "hectares": ("hectares", "ettari"),
    "square_metres": ("square-metre", "square metres", "square-meter", "square meters", "m²", "m2", "sq m", "sqm",
                      "mètres carrés", "metri quadrati", "metri quadri", "mq"),
}
@dataclass(frozen=True)
class Figure:
    """One figure found in a text: where it is, the number it stands for, its unit if written."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str | None  # ISO 4217 code, "percent" or "MW"; None for a bare count
    qualifier: str  # unhedged, about, nearly, more_than, at_least, up_to
    value_to: Decimal | None = None  # the upper end of a range ("1.2-1.5bn")
    scale: int = 0  # the power of ten of the scale written: 9 for "bn" or "milliards", 0 for none
    step: Decimal | None = None  # the place of the last decimal written ("1.30bn": 1e7); None without decimals
    in_digits: bool = False  # written in digits alone, with no scale word ("25,000", not "25 mila" or "four")


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ----------------------------------------------------------------------------------------- units

# Words that head a currency's name in CLDR but mean something else alone ("nuovi sicli israeliani").
NOT_CURRENCY_HEADS = {"new", "nouveau", "nouveaux", "nuovo", "nuovi", "nuove", "won", "real", "reals", "marks", "soles",
                      "marco", "marchi", "franco"}
FUNCTION_WORDS = {"di", "del", "della", "delle", "dei", "degli", "dello", "de", "des", "du", "d", "of", "the", "and",
                  "et", "e", "la", "le", "les"}


@cache
def currency_words() -> tuple[dict[str, str], dict[str, str]]:
    """(symbols and codes written before or after a number, names written after it) -> ISO code.

    From babel's CLDR data for English, French and Italian: each ECB currency's code, symbol,
    singular and plural names, and the plural's head noun ("dollars", "francs", "sterline"). A head
    noun several currencies share means the US dollar where it is one of them ("dollars"), and
    nothing otherwise ("couronnes" may be Danish, Norwegian or Swedish).
    """
    symbols: dict[str, str] = {code: code for code in ecb_currencies()}
    names: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for language in languages():
        for code in ecb_currencies():
            symbol = get_currency_symbol(code, locale=language)
            if symbol != code and symbols.get(symbol, code) == code:
                symbols[symbol] = code
            for count in (1, 2):
                name = get_currency_name(code, count=count, locale=language).lower()
                names[name] = code
                words = name.split()
                head = words[-1] if language == "en" else words[0]
                heads.setdefault(head, set()).add(code)
    for head, codes in heads.items():
        if head in NOT_CURRENCY_HEADS:
            continue
        if len(codes) == 1 or "USD" in codes:
            names.setdefault(head, next(iter(codes)) if len(codes) == 1 else "USD")
    for name, code in list(names.items()):  # English also says "Swedish crowns" for kronor
        plural = re.sub(r"\b(?:kronor|kroner|korunas|krónur)$", "crowns", name)
        crowns = re.sub(r"\b(?:krona|krone|koruna|króna)$", "crown", plural)
        if crowns != name and len(name.split()) > 1:
            names.setdefault(crowns, code)
    for name, code in _foreign_names(set(heads)).items():
        names.setdefault(name, code)
    symbols.update({"US$": "USD", "$US": "USD", "$ US": "USD", "£GB": "GBP"})
    names.update({"sterling": "GBP", "pounds sterling": "GBP", "livres sterling": "GBP"})
    return symbols, names


def _current_currencies() -> set[str]:
    """ISO codes of the currencies in use in some territory (CLDR, through babel) that ISO 4217 still
    lists (pycountry)."""
    territories = [str(code) for code in Locale("en").territories if str(code).isalpha()]
    return {code for territory in territories
            for code in get_territory_currencies(territory) if pycountry.currencies.get(alpha_3=code)}


def _foreign_names(ecb_heads: set[str]) -> dict[str, str]:
    """Names of currencies without an ECB rate -> their ISO code ("XXX" where a name is several
    currencies', as "francs CFA" or "dirhams" are): so that an amount in one is named as such,
    never read as euros or as another currency. Full names (without CLDR's parenthesis), the
    last words of an English name ("CFA francs") and the first of a French or Italian one, and
    head nouns no ECB currency shares."""
    found: dict[str, set[str]] = {}
    for code in _current_currencies() - set(ecb_currencies()):
        for language in languages():
            for count in (1, 2):
                written = get_currency_name(code, count=count, locale=language).lower()
                name = re.sub(r"\s*\(.*\)|\s+(?:bceao|beac)$", "", written)
                words = name.split()
                variants = {name}
                if language == "en":
                    variants.update(" ".join(words[i:]) for i in range(1, len(words)))
                else:
                    variants.update(" ".join(words[:i]) for i in range(1, len(words)))
                for variant in variants:
                    if variant.split()[-1] in FUNCTION_WORDS:
                        continue  # "dollars des", "dollaro di": a prefix cut before its complement
                    single = len(variant.split()) == 1
                    if single and (variant in ecb_heads or variant in NOT_CURRENCY_HEADS or len(variant) < 5):
                        continue
                    found.setdefault(variant, set()).add(code)
    return {name: next(iter(codes)) if len(codes) == 1 else "XXX" for name, codes in found.items()}


@cache
def power_words() -> dict[str, Decimal]:
    """Names of kW, MW and GW in the three languages (babel), and their symbols, -> factor to MW."""
    words = {}
    for language in languages():
        for unit, factor in POWER.items():
            for length in ("long", "short"):
                name = get_unit_name(unit, length=length, locale=language)
                if name:
                    words[name.lower()] = factor
                    if length == "long":  # CLDR gives the plural; "megawatt" is the singular
                        words[name.lower().rstrip("s")] = factor
    return words


# --------------------------------------------------------------------------------------- numbers

@cache
def _symbols(language: str) -> tuple[str, str]:
    """The group and decimal symbols of `language` (babel), looked up once."""
    return get_group_symbol(locale=language), get_decimal_symbol(locale=language)


def parse_number(digits: str, language: str) -> Decimal | None:
    """Read digits the way `language` writes them, or None when they are not one number.

    A single separator followed by exactly three digits groups thousands when it is a space,
    the language's group symbol, or a dot in French or Italian; otherwise it is the decimal point.
    """
    digits = re.sub(r"[ \u00a0\u202f]", " ", digits)
    group, decimal = _symbols(language)
    group = " " if group.isspace() else group
    separators = [c for c in digits if not c.isdigit()]
    kinds = list(dict.fromkeys(separators))
    if not separators:
        text = digits
    elif len(kinds) == 2:  # "1.234,5" or "1,234.5": the last separator is the decimal point
        whole, point = digits.rsplit(kinds[1], 1)
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(kinds[0])}\d{{3}})+", whole):
            return None
        text = whole.replace(kinds[0], "") + "." + point
    elif len(separators) > 1:  # "1.234.567", "1 234 567": all groups
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(kinds[0])}\d{{3}})+", digits):
            return None
        text = digits.replace(kinds[0], "")
    else:
        mark = kinds[0]
        whole, part = digits.split(mark)
        groups = len(part) == 3 and len(whole) <= 3 and (
            mark == " " or mark == group or (mark == "." and language in ("fr", "it")))
        if mark == " " and not groups:
            return None
        text = whole + part if groups else whole + "." + part
        if not groups and mark not in (decimal, ".", ","):
            return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _Token:
    """A word of the text as text2num wants it."""

    def __init__(self, match: re.Match):
        self.match = match

    def text(self) -> str:
        return self.match.group(0)

    def nt_separated(self, previous) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


def number_words(text: str, language: str) -> list[tuple[int, int, Decimal]]:
    """Numbers written in words, as (start, end, value), read by text2num; ordinals left out."""
    tokens = [_Token(m) for m in _TOKEN.finditer(text)]
    found = []
    for occurrence in text_to_num.find_numbers(tokens, language, 0.0):
        if occurrence.is_ordinal:
            continue
        words = tokens[occurrence.start:occurrence.end]
        if any(t.text().isdigit() for t in words):
            continue
        found.append((words[0].match.start(), words[-1].match.end(), Decimal(str(occurrence.value))))
    return found


def _bare_scales(text: str, language: str) -> list[tuple[int, int, Decimal]]:
    """Scale nouns written alone ("miliardo", "billion"), which text2num does not read in every
    language; `_numbers` keeps them only after an article or a half ("mezzo miliardo")."""
    nouns = [w for w in SCALE_WORDS.get(language, {}) if w in NOUN_SCALES]
    pattern = rf"(?<![\w-])(?:{_alternatives(nouns)})(?![\w])"
    return [(m.start(), m.end(), Decimal(10) ** SCALE_WORDS[language][m.group(0).lower()])
            for m in re.finditer(pattern, text, re.IGNORECASE)]


def _word_value(word: str, language: str) -> Decimal | None:
    try:
        return Decimal(str(text_to_num.text2num(word, language)))
    except ValueError:
        return None


def collective_value(noun: str, language: str) -> Decimal | None:
    """The number a collective noun is built on: "cinquantaine" 50, "decina" 10, "dozen" 12."""
    noun = noun.lower()
    if noun in COLLECTIVE_STEMS:
        return _word_value(COLLECTIVE_STEMS[noun], "en" if noun in ("dozen", "score") else language)
    for suffix in ("aine", "ina", "aio"):
        if noun.endswith(suffix):
            stem = noun[: -len(suffix)]
            for ending in ("", "e", "a", "i", "o"):
                value = _word_value(stem + ending, language)
                if value is not None:
                    return value
    return None


# ----------------------------------------------------------------------------------------- dates

@cache
def months(language: str) -> dict[str, int]:
    """Month names and abbreviations of `language` and of English (datelines often are), -> 1-12."""
    names: dict[str, int] = {}
    for lang in dict.fromkeys((language, "en")):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    names.setdefault(name.lower().rstrip("."), number)
    if language == "en":
        names.setdefault("sept", 9)  # "Sept 18": the abbreviation of many English newsrooms
    return names


@cache
def _date_patterns(language: str) -> re.Pattern:
    days = {d.lower() for lang in {language, "en"} for d in get_day_names("wide", locale=lang).values()}
    month = rf"(?:{_alternatives(months(language))})\.?"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er)?"
    year = r"(?:19|20)\d{2}"
    return re.compile(
        rf"(?<![\w.,])(?:"
        rf"{year}-\d{{2}}(?:-\d{{2}})?"  # ISO 2024-05-13, 2024-05
        rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})"  # 13/05/2024
        rf"|(?:(?:{_alternatives(days)})\s+)?{day}\s+{month}(?:\s+{year})?"  # 13 mai 2024, 13 mag.
        rf"|{month}\s+{day}(?:,?\s+{year})?"  # May 13, 2024
        rf"|{month}\s+{year}"  # May 2024
        rf"|\d{{1,2}}\s?[h:]\s?\d{{2}}"  # 10h30, 10:30
        rf")(?![\w])", re.IGNORECASE)


def dates(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of dates and times written in `text`: never figures, and never coverage mentions."""
    return [(m.start(), m.end()) for m in _date_patterns(language).finditer(text)]


# --------------------------------------------------------------------------------------- figures

@cache
def _patterns(language: str) -> dict[str, re.Pattern]:
    symbols, names = currency_words()
    scales = _scales(language)
    after_words = [*names, *(n for n in power_words()), *PERCENT[1:]]
    after_symbols = [*symbols, *POWER_SYMBOLS, "%"]
    hedges = [h for group in HEDGES_BEFORE.values() for h in group]
    return {
        "digits": re.compile(
            r"(?<![\w.,])(\d{1,3}(?:(?:[ \u00a0\u202f]|\.|,)\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
            rf"(?:[\s-]?((?i:{_alternatives(scales)}))(?![\w²³]))?"),
        "before": re.compile(rf"(?:^|(?<=[^\w$€£¥]))({_alternatives(symbols)})\s?$"),
        "after": re.compile(
            rf"(\+)?(?:(?:\s?(?:(?i:de|d'|d’|di|of|in)\s?)?|-(?=[^\W\d_]))((?i:{_alternatives(after_words)})(?![\w])"
            rf"|(?:{_alternatives(after_symbols)})(?![\w])))?"),
        "hedge_before": re.compile(
            rf"(?:^|[^\w'’])((?i:{_alternatives(hedges)}))\s*(?:(?i:the|les|le|la|l'|l’|i|gli|il)\s+)?$"),
        "hedge_after": re.compile(
            rf"\s*((?i:{_alternatives(h for group in HEDGES_AFTER.values() for h in group if h != '+')}))(?![\w])"),
        "range": re.compile(r"\s*(?:-|–|—|to|à|a|and|et|e)\s*(?:(?:i|les|the|gli)\s+)?", re.IGNORECASE),
        "range_open": re.compile(r"(?:^|\W)(between|from|entre|de|tra|fra|da|compreso tra|compresi tra)"
                                 r"(?:\s+(?:i|les|the|gli))?\s*$", re.IGNORECASE),
        "fraction": re.compile(r"\s+(?:et\s+demie?|e\s+mezzo|and\s+a\s+half)\b", re.IGNORECASE),
        "half_before": re.compile(r"\b(?:half\s+an?|un\s+demi-|une\s+demi-|demi-|mezzo)\s*$", re.IGNORECASE),
        "quarter_before": re.compile(
            r"\b(?:(?P<three>three\s+quarters|trois\s+quarts|tre\s+quarti)|a\s+quarter|un\s+quart|"
            r"un\s+quarto)\s+(?:of\s+an?|d['’]un|de|di\s+un|d['’]|di)\s*$", re.IGNORECASE),
        "and_a_half": re.compile(r"\s+and\s+a\s+half\s+$", re.IGNORECASE),
        "article": re.compile(r"(?:^|\W)(an?|one|un|une|uno|una)\s+$", re.IGNORECASE),
    }


def _scales(language: str) -> dict[str, int]:
    return {**ABBREVIATED_SCALES, **SCALE_WORDS.get(language, {})}


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `spans`, sorted and not overlapping each other."""
    at = bisect_left(spans, (end,))
    return at > 0 and spans[at - 1][1] > start


@cache
def _counted_nouns() -> dict[tuple[str, ...], str]:
    return {tuple(noun.lower().split()): unit for unit, nouns in COUNTED.items() for noun in nouns}


PREDICATE = re.compile(
    r"(?P<noun>[\w-]+(?:\s[\w-]+)?)\s+(?:[\w-]+\s+)?"
    r"(?:will\s+)?(?:total|totals|totalled|reach|reaches|number|numbered|stand\s+at|be|are|were|will\s+be|"
    r"atteindront|atteindra|atteignent|seront|sont|s[’']élèveront\s+à|s[’']élèvent\s+à|"
    r"saranno|sono|arriveranno\s+a|raggiungeranno|ammontano\s+a)"
    r"(?:\s+(?:[\w’']+\s+){0,2})?\s*$", re.IGNORECASE)
PARTITIVE = re.compile(r"\s+(?:of\s+(?:the|its|their)|des|d'entre|dei|degli|delle)\b", re.IGNORECASE)
COUNTED_WINDOW = 6  # words after a number in which to look for what it counts


def counted_unit(text: str, end: int, language: str) -> str | None:
    """What the count ending at `end` counts, by the first counted noun among the next few words
    of its clause ("3.000 emplois": jobs; "25,000 of the most advanced GPUs": gpus)."""
    after = re.split(r"[.,;:!?()\n]|(?<![\w])\d", text[end:end + 80], maxsplit=1)[0]  # up to the next number
    words = [re.sub(r"^(?:d|l|dell|all|un)['’]", "", w.strip("-“”\"«»")).lower()
             for w in re.findall(r"[\w’'“”\"«»-]+", after)][:COUNTED_WINDOW]
    nouns = _counted_nouns()
    for index in range(len(words)):
        for length in (3, 2, 1):
            unit = nouns.get(tuple(words[index:index + length]))
            if unit:
                following = index + length
                if language == "en" and following < len(words) and nouns.get((words[following],)):
                    return nouns[(words[following],)]  # "warehouse workers": English puts the head last
                return unit
    return None


def counted_before(text: str, start: int, language: str) -> str | None:
    """What a count counts when the noun stands before it as the subject of a verb of amount:
    "hires will total 300", "les embauches atteindront 500", "le assunzioni saranno almeno 300"."""
    before = text[max(0, start - 60):start]
    match = PREDICATE.search(before)
    if not match:
        return None
    words = [w.lower() for w in re.findall(r"[\w-]+", match.group("noun"))]
    return _counted_nouns().get(tuple(words[-2:])) or _counted_nouns().get(tuple(words[-1:]))


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: Decimal
    scale: int
    words: bool = False
    collective: bool = False
    step: Decimal | None = None  # see Figure.step


def _numbers(text: str, language: str, skip: list[tuple[int, int]]) -> list[_Number]:
    """Every number of `text` outside the spans `skip`: digits, words, collective nouns."""
    patterns = _patterns(language)
    scales = _scales(language)
    found = []
    for match in patterns["digits"].finditer(text):
        value = parse_number(match.group(1), language)
        if value is None or overlaps(skip, match.start(), match.end()):
            continue
        scale = scales[match.group(2).lower()] if match.group(2) else 0
        exponent = int(value.as_tuple().exponent)  # a finite number: its exponent is an int
        step = Decimal(1).scaleb(exponent + scale) if exponent < 0 else None
        found.append(_Number(match.start(), match.end(), value.scaleb(scale), scale, step=step))
    taken = sorted([(n.start, n.end) for n in found] + skip)
    words = number_words(text, language)
    read = [(a, b) for a, b, _ in words]
    words += [w for w in _bare_scales(text, language) if not overlaps(read, w[0], w[1])]
    for start, end, value in sorted(words):
        if overlaps(taken, start, end):
            continue
        scale = 3 * ((len(str(int(value))) - 1) // 3) if value >= 1000 else 0
        bare = text[start:end].lower() in NOUN_SCALES  # "hundred", "milliards" alone
        before = text[max(0, start - 24):start]
        half = patterns["half_before"].search(before)
        quarter = patterns["quarter_before"].search(before)
        article = patterns["article"].search(before)
        if bare and not (half or quarter or article or patterns["and_a_half"].search(before)):
            continue  # "des millions d'euros": no number is stated
        if bare and quarter:  # "a quarter of a billion", "trois quarts d'un milliard"
            value, start = value * (3 if quarter.group("three") else 1) / 4, start - len(before) + quarter.start()
        elif half:
            value, start = value / 2, start - len(before) + half.start()  # "half a billion"
        elif bare and article:
            start = start - len(before) + article.start(1)  # "a billion", "un milliard"
        fraction = patterns["fraction"].match(text, end)
        if scale and fraction:
            value += Decimal(10) ** scale / 2  # "un million et demi", "vingt millions et demi"
            end = fraction.end()
        found.append(_Number(start, end, value, scale, words=True))
    for match in COLLECTIVE.finditer(text):
        value = collective_value(match.group(1), language)
        if value is not None and not overlaps(taken, match.start(), match.end()):
            found.append(_Number(match.start(), match.end(), value, 0, words=True, collective=True))
    found.sort(key=lambda n: n.start)
    # "one and a half million": text2num reads "one" and "million" apart.
    merged: list[_Number] = []
    for number in found:
        previous = merged[-1] if merged else None
        if (previous and previous.value < 10 and number.words and number.value in (10**3, 10**6, 10**9)
                and patterns["and_a_half"].fullmatch(text, previous.end, number.start)):
            merged[-1] = _Number(previous.start, number.end, (previous.value + Decimal("0.5")) * number.value,
                                 number.scale, words=True)
        else:
            merged.append(number)
    for match in _one_power(language).finditer(text):  # "un gigawatt", "a megawatt": one of a unit of power
        if not overlaps(taken, match.start(), match.end()) and not any(n.start == match.start() for n in merged):
            merged.append(_Number(match.start(), match.start() + len(match.group(1)), Decimal(1), 0, words=True,
                                  collective=True))
    merged.sort(key=lambda n: n.start)
    return [n for n in merged if not (n.words and n.value == 1 and not _one_power(language).match(text, n.start))]


@cache
def _one_power(language: str) -> re.Pattern:
    """An article or "one" before a unit of power: "un gigawatt", "a 1-gigawatt" aside."""
    units = _alternatives([*power_words(), *POWER_SYMBOLS])
    return re.compile(rf"(?<!\w)(an?|one|un|une|uno|una)\s+(?=(?i:{units})(?![\w]))", re.IGNORECASE)


def _unit_of(text: str, number: _Number, language: str) -> tuple[int, int, str | None, bool, Decimal]:
    """(start, end, unit, plus, factor): the unit written around a number, and the span with it."""
    patterns = _patterns(language)
    symbols, names = currency_words()
    start, end, unit, factor = number.start, number.end, None, Decimal(1)
    before = patterns["before"].search(text, max(0, start - 6), start)
    after = patterns["after"].match(text, end)
    assert after is not None  # every group of the pattern is optional: it matches anywhere
    plus = bool(after.group(1))
    if before and before.group(1) in symbols:
        unit, start = symbols[before.group(1)], before.start(1)
    if after.group(2):
        word = after.group(2)
        found = symbols.get(word) or names.get(word.lower())
        power = POWER_SYMBOLS.get(word) or power_words().get(word.lower())
        if word.lower() in (w.lower() for w in PERCENT):
            found = "percent"
        elif power is not None:
            found, factor = "MW", power
        if found and (unit is None or unit == found):
            unit, end = found, after.end()
    elif plus:
        end = after.end()
    return start, end, unit, plus, factor


# A number of periods is a duration, and a number with an ordinal ending a rank: neither is a figure.
DURATION = re.compile(r"[\s-]+(?:years?|months?|weeks?|days?|hours?|ans?|années?|mois|semaines?|jours?|heures?|anni|"
                      r"anno|mesi|mese|settimane?|giorni|giorno|ore|ora)\b", re.IGNORECASE)
ORDINAL = re.compile(r"(?:st|nd|rd|th|e|è|ème|eme|er|ère|re|°|º|ª|/[oae])(?![\w])")

# Words after which a year is a year, whatever follows it ("d'ici 2026 sur le site").
TIME_WORDS = re.compile(
    r"\b(?:by|in|since|until|before|after|from|during|through|end|early|late|mid|of|en|d['’]ici|depuis|avant|"
    r"après|pour|fin|début|dès|jusqu['’]en|entro(?:\s+il)?|nel|dal|fino\s+al|prima\s+del|dopo\s+il|per\s+il)"
    r"[\s-]+$", re.IGNORECASE)


def _is_year(text: str, number: _Number, unit: str | None, language: str) -> bool:
    """A four-digit number from 1900 to 2099 with no unit or scale, after a time word or counting nothing."""
    digits = text[number.start:number.end]
    if unit is not None or number.scale or number.words or not re.fullmatch(r"(19|20)\d\d", digits):
        return False
    return (TIME_WORDS.search(text, max(0, number.start - 16), number.start) is not None
            or counted_unit(text, number.end, language) is None)


def find_figures(text: str, language: str) -> list[Figure]:
    """Every figure stated in `text`, in order (dates, times and years are not figures)."""
    patterns = _patterns(language)
    figures: list[Figure] = []
    for number in _numbers(text, language, dates(text, language)):
        start, end, unit, plus, factor = _unit_of(text, number, language)
        if _is_year(text, number, unit, language):
            continue
        if unit is None and (DURATION.match(text, end) or (not number.words and ORDINAL.match(text, number.end))):
            continue  # "over 10 years", "6 months ago", "3rd", "2e rang", "12/o posto": not figures
        if number.words and number.value < 10 and unit is None and (
                counted_unit(text, end, language) is None or PARTITIVE.match(text, end)):
            continue  # "two of the biggest", "deux des sites": not a figure
        collective = number.collective and number.value != 1
        qualifier = "at_least" if plus else "about" if collective else "unhedged"
        hedge = patterns["hedge_before"].search(text, max(0, start - 40), start)
        if hedge and not collective:
            qualifier = _hedge(hedge.group(1), HEDGES_BEFORE)
        elif (after := patterns["hedge_after"].match(text, end)) and qualifier == "unhedged":
            qualifier = _hedge(after.group(1), HEDGES_AFTER)
        figures.append(Figure(start, end, text[start:end], (number.value * factor).normalize(), unit, qualifier,
                              scale=number.scale, step=number.step * factor if number.step else None,
                              in_digits=not number.words and not number.scale))
    return _bracketed(text, _ranges(text, figures, language))


def _hedge(word: str, table: dict[str, tuple[str, ...]]) -> str:
    word = word.lower()
    return next(q for q, words in table.items() if word in (w.lower() for w in words))


def _ranges(text: str, figures: list[Figure], language: str) -> list[Figure]:
    """Join "1.2-1.5bn", "entre 2 et 3 milliards", "$2bn to $3bn" into one figure with value_to."""
    patterns = _patterns(language)
    joined: list[Figure] = []
    for figure in figures:
        low = joined[-1] if joined else None
        between = text[low.end:figure.start] if low else ""
        units_fit = low is not None and (None in (low.unit, figure.unit) or low.unit == figure.unit)
        if (low is not None and units_fit and low.value_to is None and low.qualifier == "unhedged"
                and patterns["range"].fullmatch(between)):
            connector = between.split()[0].lower() if between.split() else "-"
            opened = patterns["range_open"].search(text, max(0, low.start - 20), low.start)
            if connector in ("and", "et", "e") and not opened:
                joined.append(figure)
                continue
            low_value = low.value
            if not low.scale and figure.scale:  # "entre 2 et 3 milliards": the scale is shared
                low_value = low.value.scaleb(figure.scale)
            start = opened.start(1) if opened else low.start
            if low_value < figure.value:
                joined[-1] = Figure(start, figure.end, text[start:figure.end], low_value.normalize(),
                                    low.unit or figure.unit, figure.qualifier, value_to=figure.value,
                                    scale=figure.scale)
                continue
        joined.append(figure)
    return joined


def _bracketed(text: str, figures: list[Figure]) -> list[Figure]:
    """A hedge before a figure governs its bracketed conversion: "more than €1.2bn ($1.3bn)"."""
    result = list(figures)
    for index in range(1, len(result)):
        previous, figure = result[index - 1], result[index]
        between = text[previous.end:figure.start]
        bracket = re.fullmatch(r"\s*[(\[]\s*", between)
        if (figure.qualifier == "unhedged" and previous.qualifier != "unhedged" and bracket
                and figure.unit and previous.unit and figure.unit != previous.unit):
            result[index] = replace(figure, qualifier=previous.qualifier)
    return result


@cache
def quote_figures(quote: str, language: str) -> tuple[Figure, ...]:
    """find_figures of a claim's quote, read once for the check of its value and for its bounds."""
    return tuple(find_figures(quote, language))


def mentions(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of every figure the coverage gate asks about: each figure find_figures reads.

    Every such span must sit inside a claim's quote or be listed as not a claim. Dates, times and
    years are not mentions, and neither are small numbers in words that count nothing ("one of").
    """
    return [(f.start, f.end) for f in find_figures(text, language)]
