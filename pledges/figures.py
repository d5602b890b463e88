"""Find the figures a piece of English, French or Italian text states.

The build uses this to check that a claim's value is really stated in its quote ("€4bn",
"$4.3 billion", "4 milliards d'euros", "4 miliardi di dollari", "25mila", "25 000", "2.500",
"un million", "one million"). Digits are read with babel in the text's own locale, so "2.500" is
2500 in Italian and 2.5 in English. Babel has no words for scales, currencies or hedges, so those
few words are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

SCALES = {
    "thousand": 3, "k": 3, "mille": 3, "mila": 3,
    "million": 6, "millions": 6, "mn": 6, "m": 6, "mln": 6, "milione": 6, "milioni": 6,
    "billion": 9, "billions": 9, "bn": 9, "b": 9, "milliard": 9, "milliards": 9, "md": 9, "mds": 9,
    "mrd": 9, "mld": 9, "miliardo": 9, "miliardi": 9,
    "trillion": 12, "tn": 12,
}
# Words that stand for a number only when a scale follows ("one million", "près d'un million").
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "uno": 1, "una": 1,
                "two": 2, "deux": 2, "due": 2, "three": 3, "trois": 3, "tre": 3}
# Units written before or after the number: ISO 4217 currencies, and percentages.
UNIT_BEFORE = {"€": "EUR", "eur": "EUR", "$": "USD", "us$": "USD", "usd": "USD"}
UNIT_AFTER = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "d'euros": "EUR",
              "d’euros": "EUR", "di euro": "EUR", "usd": "USD", "dollars": "USD",
              "de dollars": "USD", "dollari": "USD", "di dollari": "USD",
              "%": "percent", "per cent": "percent", "percent": "percent", "pour cent": "percent",
              "per cento": "percent"}
# Hedges that come before a figure, longest first so that "more than" wins over "more".
QUALIFIERS = {
    "up to": "up_to", "jusqu'à": "up_to", "jusqu’à": "up_to", "fino a": "up_to",
    "more than": "more_than", "over": "more_than", "plus de": "more_than", "più di": "more_than",
    "oltre": "more_than",
    "at least": "at_least", "au moins": "at_least", "almeno": "at_least",
    "around": "about", "about": "about", "some": "about", "environ": "about", "circa": "about",
    "nearly": "nearly", "almost": "nearly", "près de": "nearly", "près d'": "nearly",
    "près d’": "nearly", "quasi": "nearly",
}


@dataclass(frozen=True)
class Figure:
    """One figure found in a text: where it is, the number it stands for, and its unit if written."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str | None
    qualifier: str


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"
_FIGURE = re.compile(
    rf"(?:(?P<before>{_alternatives(UNIT_BEFORE)})\s?)?"
    rf"(?:(?<![\w.,])(?P<digits>{_DIGITS})|(?P<word>\b(?:{_alternatives(NUMBER_WORDS)})\b)(?=\s+(?:{_alternatives(SCALES)})\b))"
    rf"(?:\s?(?P<scale>(?:{_alternatives(SCALES)})\b))?"
    rf"(?P<plus>\+)?"
    rf"(?:\s?(?P<after>(?:{_alternatives(UNIT_AFTER)})(?![\w])))?",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(rf"(?:^|\W)({_alternatives(QUALIFIERS)})\s*$", re.IGNORECASE)


def parse_number(digits: str, language: str) -> Decimal:
    """Read digits the way `language` writes them: "2.500" (it), "2 500" (fr), "2,500" (en)."""
    group = get_group_symbol(locale=language)
    if group.isspace():
        digits = re.sub(r"[ \u00a0\u202f]", group, digits)
    return Decimal(str(parse_decimal(digits, locale=language, strict=True)))


def find_figures(text: str, language: str) -> list[Figure]:
    """Every figure stated in `text`, in order; numbers that babel cannot read are skipped."""
    figures = []
    for match in _FIGURE.finditer(text):
        if match["digits"]:
            try:
                number = parse_number(match["digits"], language)
            except NumberFormatError:
                continue
        else:
            number = Decimal(NUMBER_WORDS[match["word"].lower()])
        scale = SCALES[match["scale"].lower()] if match["scale"] else 0
        unit_word = (match["before"] or match["after"] or "").lower()
        hedge = _QUALIFIER_BEFORE.search(text[: match.start()])
        qualifier = QUALIFIERS[hedge.group(1).lower()] if hedge else "exact"
        if match["plus"]:
            qualifier = "more_than"
        figures.append(Figure(
            start=match.start(), end=match.end(), text=match.group(0),
            value=number.scaleb(scale).normalize(),
            unit=UNIT_BEFORE.get(unit_word) or UNIT_AFTER.get(unit_word),
            qualifier=qualifier,
        ))
    return figures


_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


def iso_dates(text: str) -> list[tuple[int, int]]:
    """Spans of ISO dates (2024-05-13): one mention each, not three numbers."""
    return [(m.start(), m.end()) for m in _ISO_DATE.finditer(text)]


def mentions(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of every figure-like mention: each figure find_figures reads, and each ISO date whole.

    This is what coverage means: every such span must sit inside a claim's quote or be listed as
    not a claim. Numbers spelled out without a scale ("two of the biggest") are not mentions.
    """
    dates = iso_dates(text)
    figures = [(f.start, f.end) for f in find_figures(text, language)
               if not any(start <= f.start < end for start, end in dates)]
    return sorted(dates + figures)
