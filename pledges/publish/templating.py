"""The Jinja2 environment of every HTML page the package writes: the site and the reports.

Autoescaping is on for every template, so text from the annotations and the data is always
shown as text; templates are in pledges/templates/.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


# A date (or an interval of days), or a number with its currency code or scale: a page keeps each
# on one line, so that no figure can be misread split across two.
UNBROKEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?"
                      r"|(?:\b[A-Z]{3} )?\d(?:[\d,.\u202f]*\d)?(?:bn|m|%)?(?: to \d(?:[\d,.]*\d)?(?:bn|m)?)?")


# Escapes without digits, so that the figure pattern never matches inside one (&apos;, not &#x27;).
ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;"))
DIGITS = re.compile(r"\d")


def unbroken(text) -> Markup:
    """Text, escaped, with every date and figure in a span that never wraps (pages of 100,000 rows
    call this for every cell; the same text, a footer or a unit, is worked out once)."""
    return _unbroken(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _unbroken(text: str) -> Markup:
    for character, escape in ESCAPES:  # escaped first, then one pass of the pattern
        if character in text:
            text = text.replace(character, escape)
    if DIGITS.search(text) is None:
        return Markup(text)
    return Markup(UNBROKEN.sub(_span, text))


def _span(match: re.Match) -> str:
    return f'<span class="nw">{match.group()}</span>'


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["unbroken"] = unbroken
    return env
