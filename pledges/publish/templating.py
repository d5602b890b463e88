"""The Jinja2 environment of every HTML page the package writes: the site and the reports.

Autoescaping is on for every template, so text from the annotations and the data is always
shown as text; templates are in pledges/templates/.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                       default_for_string=True), undefined=StrictUndefined, keep_trailing_newline=True)
