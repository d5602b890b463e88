"""The Jinja2 environment of every HTML page the package writes: the site and the reports.

Autoescaping is on for every template, so text from the annotations and the data is always
shown as text; templates are in pledges/templates/.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parent / "templates"


# A date (or an interval of days), or a number with its currency code or scale: a page keeps each
# on one line, so that no figure can be misread split across two.
UNBROKEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?"
                      r"|(?:\b[A-Z]{3} )?\d(?:[\d,.\u202f]*\d)?(?:bn|m|%)?(?: to \d(?:[\d,.]*\d)?(?:bn|m)?)?")


def unbroken(text) -> Markup:
    """Text, escaped, with every date and figure in a span that never wraps."""
    text, parts, at = str(text), [], 0
    for match in UNBROKEN.finditer(text):
        parts += [escape(text[at:match.start()]), Markup('<span class="nw">%s</span>') % match.group(0)]
        at = match.end()
    return Markup("").join([*parts, escape(text[at:])])


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["unbroken"] = unbroken
    return env
