"""The Jinja2 environment of every HTML page the package writes: the site and the reports.

Autoescaping is on for every template, so text from the annotations and the data is always
shown as text; templates are in pledges/templates/.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"


# A date (or an interval of days), or a number with its currency code or scale: a page keeps each
# on one line, so that no figure can be misread split across two.
UNBROKEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?"
                      r"|(?:\b[A-Z]{3} )?\d(?:[\d,.\u202f]*\d)?(?:bn|m|%)?(?: to \d(?:[\d,.]*\d)?(?:bn|m)?)?")


def unbroken(text) -> Markup:
    """Text, escaped, with every date and figure in a span that never wraps (one Markup made per
    text, the parts escaped as plain strings: pages of 100,000 rows call this for every cell)."""
    text = str(text)
    parts, at = [], 0
    for match in UNBROKEN.finditer(text):
        parts += [html.escape(text[at:match.start()]), '<span class="nw">', html.escape(match.group(0)), "</span>"]
        at = match.end()
    parts.append(html.escape(text[at:]))
    return Markup("".join(parts))


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["unbroken"] = unbroken
    return env
