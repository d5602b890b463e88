"""Figures that are not claims, and why: every figure the reader finds is either a draft claim or
a not-claim with its reason, so that the draft passes the build's coverage check and the reviewer
decides.

Not claims: an exchange-rate note ("($1 = 0.92 euros)", "1 dollar pour 0,92 euro"); a count of
something the package does not track (sites, projects, servers, users, square metres) or of nothing
named (a rank, a counter); an amount in a currency without an ECB reference rate (CFA francs,
dirhams), named as such, never turned into another currency; money that is not a pledge (revenue,
a valuation, money raised, economic impact such as GDP, a summit's total over many projects);
a percentage that is not a share of renewable energy, or a country's energy mix; people counted
who are neither trained, hired nor employed (visitors, users).
"""

from __future__ import annotations

import re

from babel.numbers import get_currency_name

from pledges.reading.numbers import Figure, ecb_currencies
from pledges.suggest.metrics import OTHER_MONEY
from pledges.suggest.quotes import clause

TRACKED = ("percent", "MW", "jobs", "employees", "people", "startups", "gpus")  # and the currencies
EXCHANGE = re.compile(r"\(\s*[^()\n]{0,12}\d[^()\n]{0,30}=[^()\n]{0,40}\)|exchange\s+rate|taux\s+de\s+change|"
                      r"tasso\s+di\s+cambio|\bper\s+(?:one\s+)?(?:euro|dollar)\b|\bpour\s+(?:un\s+)?(?:euro|dollar)\b"
                      r"|\bper\s+(?:un\s+)?(?:euro|dollaro)\b", re.IGNORECASE)
# Totals over many companies' announcements: "56 projets pour 15 milliards", "gli investimenti esteri annunciati".
SUMMIT_TOTAL = re.compile(r"\d[\d.,\s]*\s+(?:projects|projets|progetti)\b|\b(?:des|les|ces|these|the)\s+annonces\b|"
                          r"\b(?:investissements|investimenti|investments)\s+(?:\w+\s+){0,3}?(?:annoncés|annunciati|announced)\b|"
                          r"\bd['’]investissements\s+ont\s+été\s+annoncés|\bforeign\s+(?:direct\s+)?investment|"
                          r"\bthe\s+projects\s+were\b|\bprojects\s+worth\b", re.IGNORECASE)
# Money a government, a region or a public bank gives is not a company's pledge.
GOVERNMENT = re.compile(r"^\W*(?:the\s+)?(?:\w+\s+)?(?:government|state|ministry|region|commission|EU)\b|"
                        r"^\W*(?:le\s+|la\s+|l['’])(?:gouvernement|état|région|ministère|commission)\b|"
                        r"^\W*(?:il\s+|lo\s+|la\s+)(?:governo|stato|regione|ministero|commissione)\b", re.IGNORECASE)
CUT = re.compile(r"\b(?:cut\w*|slash\w*|eliminat\w*|lay\s+off|laying\s+off|axe\w*|shed\w*|supprim\w*|suppression\w*|"
                 r"licenci\w*|tagli\w*|licenzi\w*|esuber\w*)\s+(?:\S+\s+){0,3}$", re.IGNORECASE)
IMPACT = re.compile(r"\b(?:ricadute|retombées|indotto|economic\s+impact|impact\s+économique|impatto\s+economico|"
                    r"GDP|PIB|Pil)\b")
# People gathered or using something, not trained, hired or employed: "drew 180 business leaders".
GATHERED = re.compile(r"\b(?:drew|draws|attend\w*|visit\w*|gathered|brought\s+together|réuni\w*|rassembl\w*|"
                      r"accueilli\w*|"
                      r"partecipa\w*|riunit\w*|users?|utilisateurs?|utenti|abonnés|subscribers?|abbonati|clients?|"
                      r"customers?|clienti|familiar)\b", re.IGNORECASE)
UNIT_NAMES = {"sites": "sites", "companies": "companies", "projects": "projects", "servers": "servers",
              "hectares": "hectares", "square_metres": "square metres"}


def reason(text: str, figure: Figure, unit: str | None, metric: str, sentence: tuple[int, int], language: str,
           organisation=lambda name: False) -> str:
    """Why the figure is not a claim, or "" when it may be one. `organisation` says whether a name
    is one the article names as an organisation."""
    words = text[sentence[0]:sentence[1]]
    at = figure.start - sentence[0]
    note = EXCHANGE.search(words)
    if note and (figure.unit or "").isupper() and (note.start() <= at <= note.end() or "(" not in note.group(0)):
        return "an exchange-rate note, not a pledge"
    if figure.unit and figure.unit.isupper() and figure.unit not in ecb_currencies() and figure.unit != "MW":
        name = figure.unit if figure.unit == "XXX" else get_currency_name(figure.unit, locale="en")
        return (f"an amount in {figure.text.split()[-1] if figure.unit == 'XXX' else name}, a currency without an "
                f"ECB reference rate: the package cannot convert it")
    if unit is None:
        return "a number that counts nothing the package tracks (a rank, a counter, users, a duration)"
    if unit not in TRACKED and unit not in ecb_currencies():
        return f"a count of {UNIT_NAMES.get(unit, unit)}, which the package does not track"
    if SUMMIT_TOTAL.search(words) and unit in (*ecb_currencies(), "jobs"):
        return "a total over many companies' projects or announcements, not one company's pledge"
    left, right = clause(text, sentence, figure.start, figure.end)
    if IMPACT.search(text, left, right) and unit in (*ecb_currencies(), "jobs"):
        return "an estimate of economic impact, not a pledge"
    if unit in ecb_currencies() and GOVERNMENT.search(words):
        return "money a government or public body gives, not a company's pledge"
    if unit == "jobs" and CUT.search(text, max(sentence[0], figure.start - 40), figure.start):
        return "jobs cut, not created"
    if unit in ecb_currencies() and metric == "" and re.search(OTHER_MONEY, words, re.IGNORECASE):
        return "money that is not a pledge (revenue, a valuation, money raised or lent, a market's size)"
    if unit == "percent":
        if metric == "":
            return "a percentage that is not a share of renewable energy"
        opening = re.match(r"\W*(?:(?:la|le|l['’]|il|lo)\s*)?([A-ZÀ-Ý][\w-]+(?:\s[A-Z][\w-]+)?)\s+(?:\w+\s+)?"
                           r"(?:generat\w*|produc\w*|produit|produce|get\w*|gets|tire\w*|trae)\b", words)
        if opening and not organisation(opening.group(1)):
            return "a place's energy mix, not a company's pledge"
    if unit == "people" and metric == "" and GATHERED.search(words):
        return "people gathered or served, not trained, hired or employed"
    return ""
