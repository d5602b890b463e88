"""Deadlines as dates: the article's date, the deadline words of a sentence, and the figures each governs.

A deadline is read as the last day of the period it names: "by 2027", "d'ici fin 2027", "entro il
2027" end on 31 December 2027; "by June 2026" on 30 June; a quarter ("d'ici le troisième trimestre
2025", "by Q3 2025") on its last day; a half ("by mid-2026", "premier semestre") on 30 June or 31
December. Relative periods are read against the article's date: "over the next five years", "sur une
période de deux ans", "nell'arco dei prossimi due anni", "in quattro anni", "over 10 years" end that
long after it (dateutil's relativedelta does the calendar arithmetic); "by the end of next year",
"d'ici la fin de l'année prochaine", "entro la fine dell'anno prossimo" on 31 December of the year
after it; "over the same period" takes the deadline stated before it in the text. The article's date
comes from its dateline or a "published" line (or is handed to the suggester); without it, a
relative deadline is drafted as `TODO` with its words.

Which figures a deadline governs: the figures before it in its sentence, back to the previous
deadline, and those after it when it opens the sentence. A deadline after a count does not reach
back over it to an amount of money ("invest €4bn and deploy 25,000 GPUs by 2025": the deadline is
the GPUs'), while it does reach an amount's conversion ("EUR 20bn (about $20.7bn) by 2030").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from dateutil.relativedelta import relativedelta

from pledges.reading.numbers import Figure, _alternatives, dates, ecb_currencies, months, number_words

UNKNOWN = "TODO (the article's date is unknown)"
YEAR = r"(?P<y>(?:19|20)\d\d)"
YEAR2 = r"(?P<y2>(?:19|20)\d\d)"
# Ordinals of quarters and halves: text2num reads "third" and "troisième" but not "first" or "second".
ORDINALS = {"first": 1, "1st": 1, "premier": 1, "1er": 1, "primo": 1, "1°": 1, "1º": 1, "second": 2, "2nd": 2,
            "deuxième": 2, "seconde": 2, "2e": 2, "2ème": 2, "secondo": 2, "2°": 2, "2º": 2, "third": 3, "3rd": 3,
            "troisième": 3, "3e": 3, "3ème": 3, "terzo": 3, "3°": 3, "3º": 3, "fourth": 4, "4th": 4,
            "quatrième": 4, "4e": 4, "4ème": 4, "quarto": 4, "4°": 4, "4º": 4}
PERIODS = {"biennio": 2, "triennio": 3, "quadriennio": 4, "quinquennio": 5, "decade": 10, "décennie": 10,
           "decennio": 10}
YEARS = r"years?|ans?|années?|anni|anno"
MONTHS = r"months?|mois|mesi|mese"
ART = r"(?:the|le|la|les|l['’]|il|lo|i|gli|del|della|dell['’]|de|des|di|of)"
LEADS = (r"over|in|within|across|for\s+the|sur|au\s+cours\s+de|dans|d['’]ici|en|nel\s+corso\s+di|"
         r"entro|nell['’]arco\s+di|nel\s+giro\s+di|nell['’]arco\s+dei|nel\s+corso\s+dei|au\s+cours\s+des|dans\s+les|"
         r"sur\s+les|nei|entro\s+i|negli")
# A year after "in" is a deadline only in a sentence about the future ("vise 100 % en 2025").
FUTURE = re.compile(r"\b(?:will|shall|plans?|aims?|expects?|intends?|hopes?|wants?|targets?|vise|visent|prévoit|"
                    r"prévoient|compte|comptent|va|vont|veut|prevede|prevedono|punta|puntano|vuole|intende|"
                    r"\w+(?:ra|ront|rà|ranno))\b", re.IGNORECASE)
PAST = re.compile(r"\b(?:was|were|had|did|has\s+\w+ed|have\s+\w+ed|\w+ed|a\s+\w+é|ont\s+\w+é|ha\s+\w+[aiu]to|"
                  r"hanno\s+\w+[aiu]to|last\s+year|l['’]an\s+dernier|l['’]anno\s+scorso)\b", re.IGNORECASE)
NEXT = r"next|coming|following|prochaine?s?|prossimi|successivi"


@dataclass(frozen=True)
class Deadline:
    start: int
    end: int
    iso: str  # the date, or UNKNOWN when it is relative and the article's date is not known


def published_date(text: str, language: str, head: int = 600) -> tuple[date | None, str]:
    """The article's date, where its opening (a dateline, a "published" line) states one with its
    year: (date, the words)."""
    names = months(language)
    for start, end in dates(text[:head], language):
        words = text[start:end]
        iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", words)
        if iso:
            return date(*map(int, iso.groups())), words
        spelled = (re.search(r"(?P<d>\d{1,2})\w*\s+(?P<m>[^\W\d]+)\.?\s+(?P<y>\d{4})", words)
                   or re.search(r"(?P<m>[^\W\d]+)\.?\s+(?P<d>\d{1,2})\w*,?\s+(?P<y>\d{4})", words))
        if spelled and spelled["m"].lower() in names:
            try:
                return date(int(spelled["y"]), names[spelled["m"].lower()], int(spelled["d"])), words
            except ValueError:
                continue
    return None, ""


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _count(words: str, language: str) -> int | None:
    """A number of periods: digits, "a"/"un"/"una", or words text2num reads."""
    if words.isdigit():
        return int(words)
    if words.lower() in ("a", "an", "one", "un", "une", "uno", "una", "un'"):
        return 1
    found = number_words(words, language)
    return int(found[0][2]) if found and found[0][2] == int(found[0][2]) else None


@cache
def _patterns(language: str) -> list[tuple[str, re.Pattern]]:
    month = rf"(?P<m>{_alternatives(months(language))})\.?"
    ordinal = rf"(?P<q>{_alternatives(ORDINALS)})"
    number = r"(?P<n>\d{1,3}|[^\W\d_]+(?:-[^\W\d_]+)?)"
    by = (r"(?:by|before|until|through|for|no\s+later\s+than|in\s+time\s+for|d['’]ici(?:\s+à)?|avant|pour|jusqu['’]à|"
          r"jusqu['’]en|horizon|à\s+l['’]horizon(?:\s+de)?|entro|prima\s+del(?:la)?|per\s+il|fino\s+al)")
    end = (r"(?:(?:the\s+)?end(?:-|\s+of\s+(?:the\s+)?)|late\s+|the\s+|(?:la\s+)?fin\s+(?:de\s+|d['’])?"
           r"|(?:la\s+)?fine\s+(?:del\s+|di\s+|dell['’])?"
           r"|il\s+|l['’]|le\s+|la\s+)?")
    return [
        ("same", re.compile(r"\b(?:over|in|during)\s+the\s+same\s+period"
                            r"|\b(?:sur|durant|pendant)\s+(?:cette|la)\s+même\s+"
                            r"période|\bnello\s+stesso\s+periodo|\bnel\s+medesimo\s+periodo", re.IGNORECASE)),
        ("quarter", re.compile(rf"\b(?:{by}|in|during|au|dans\s+le|nel|dès\s+le|à\s+partir\s+du)\s+{end}{ordinal}\s+"
                               rf"(?:quarter|trimestre)(?:\s+(?:of\s+|de\s+|del\s+|di\s+)?{YEAR})?"
                               rf"|\b(?:{by}|in)\s+(?:Q|T)(?P<q2>[1-4])\s+{YEAR2}", re.IGNORECASE)),
        ("half", re.compile(rf"\b(?:{by}|in|au|nel)\s+{end}(?:(?P<mid>mid-?|mi-|metà\s+|the\s+middle\s+of\s+|la\s+mi-?)"
                            rf"|{ordinal}\s+(?:half\s+(?:of\s+)?|semestre\s+(?:de\s+|del\s+)?)){YEAR}", re.IGNORECASE)),
        ("month", re.compile(rf"\b{by}\s+{end}{month}(?:\s+{YEAR})?(?![\w])", re.IGNORECASE)),
        ("year", re.compile(rf"\b{by}\s+{end}{YEAR}\b|\b(?:end-|fin\s+|fine\s+){YEAR2}\b", re.IGNORECASE)),
        ("next_period", re.compile(r"\b(?:over|in|within)\s+the\s+(?:next|coming)\s+(?P<u>year|month)\b"
                                   r"|\b(?:nel\s+prossimo|entro\s+il\s+prossimo|nell['’]arco\s+del\s+prossimo)\s+(?P<u2>anno|mese)\b"
                                   r"|\b(?:dans|au\s+cours\s+de)\s+l['’](?P<u3>année)\s+(?:à\s+venir|qui\s+vient)\b",
                                   re.IGNORECASE)),
        ("next_year", re.compile(r"\b(?:(?:by|before)\s+the\s+end\s+of\s+)?(?<!the\s)next\s+year\b"
                                 r"|\bthe\s+end\s+of\s+next\s+year\b"
                                 r"|\b(?:d['’]ici|avant|à)\s+la\s+fin\s+de\s+l['’]année\s+prochaine\b"
                                 r"|\bl['’](?:an|année)\s+prochaine?\b"
                                 r"|\bentro\s+(?:la\s+)?fine\s+(?:dell['’]\s*anno\s+prossimo|del\s+prossimo\s+anno)\b"
                                 r"|\b(?:l['’]anno\s+prossimo|il\s+prossimo\s+anno)\b", re.IGNORECASE)),
        ("this_year", re.compile(r"\b(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+(?:the|this)\s+year|year[-\s]end)\b"
                                 r"|\b(?:d['’]ici|avant|à)\s+la\s+fin\s+de\s+(?:l['’]année|cette\s+année)\b"
                                 r"|\bentro\s+(?:la\s+)?fine\s+(?:dell['’]\s*anno|di\s+quest['’]anno|anno)\b"
                                 r"|\bd['’]ici\s+(?:la\s+)?fin\s+d['’]année\b|\bby\s+(?:the\s+)?year['’]?s\s+end\b"
                                 r"|\bentro\s+quest['’]anno\b", re.IGNORECASE)),
        ("period", re.compile(rf"\b(?:nel\s+prossimo|in\s+un|entro\s+un|nell['’]arco\s+di\s+un|over\s+a|within\s+a|"
                              rf"in\s+a|sur\s+une|en\s+une|d['’]ici\s+une)\s+(?P<p>{_alternatives(PERIODS)})\b",
                              re.IGNORECASE)),
        ("relative", re.compile(rf"\b(?:{LEADS})\s+(?:{ART}\s+)?(?:(?:{NEXT})\s+)?(?:une\s+période\s+de\s+)?{number}\s+"
                                rf"(?:(?:{NEXT})\s+)?(?P<u>{YEARS}|{MONTHS})\b(?:\s+(?:à\s+venir|prochaines|prochains))?",
                                re.IGNORECASE)),
        ("in_year", re.compile(rf"\b(?:in|en|nel|dans\s+l['’]année|during)\s+{YEAR}\b", re.IGNORECASE)),
    ]


def deadlines(text: str, span: tuple[int, int], language: str, published: date | None,
              earlier: list[Deadline] | None = None) -> list[Deadline]:
    """The deadlines of a sentence, in order, each with the date it ends on."""
    found: list[Deadline] = []
    for kind, pattern in _patterns(language):
        for match in pattern.finditer(text, *span):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            if kind == "in_year" and (not FUTURE.search(text, span[0], match.start())
                                      or PAST.search(text, span[0], match.start())):
                continue  # "trained 250,000 people in 2023": a past year, not a deadline
            iso = _resolve(kind, match, language, published, earlier or [])
            if iso is not None:
                found.append(Deadline(match.start(), match.end(), iso))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, match: re.Match, language: str, published: date | None, earlier: list[Deadline]) -> str | None:
    groups = match.groupdict()
    written = groups.get("y") or groups.get("y2")
    year = int(written) if written else None
    if kind == "same":
        return earlier[-1].iso if earlier else None
    if kind == "in_year":
        return date(year, 12, 31).isoformat() if year else None
    if kind == "next_period":
        if published is None:
            return UNKNOWN
        months_ = 1 if (groups.get("u") or groups.get("u2") or "").lower() in ("month", "mese") else 12
        return (published + relativedelta(months=months_)).isoformat()
    if kind in ("quarter", "half", "month") and year is None:
        if published is None:
            return UNKNOWN
        year = published.year
    if kind == "quarter":
        quarter = int(groups["q2"]) if groups.get("q2") else ORDINALS[groups["q"].lower()]
        return _last_day(year, 3 * quarter).isoformat()  # type: ignore[arg-type]
    if kind == "half":
        first = groups.get("mid") or ORDINALS.get((groups.get("q") or "").lower()) == 1
        return date(year, 6, 30).isoformat() if first else date(year, 12, 31).isoformat()  # type: ignore[arg-type]
    if kind == "month":
        number = months(language)[groups["m"].lower()]
        if not written and published is not None and number < published.month:
            year = published.year + 1  # "by March" written in May is next March
        return _last_day(year, number).isoformat()  # type: ignore[arg-type]
    if kind == "year":
        if re.match(r"(?:before|avant|prima)\b", match.group(0), re.IGNORECASE):
            return date(year - 1, 12, 31).isoformat()  # type: ignore[operator]
        return date(year, 12, 31).isoformat()  # type: ignore[arg-type]
    if kind == "relative":
        count = _count(groups["n"], language)
        if count is None or not 0 < count <= 50:
            return None  # "over the coming years": no period is stated
    if published is None:
        return UNKNOWN
    if kind == "this_year":
        return date(published.year, 12, 31).isoformat()
    if kind == "next_year":
        return date(published.year + 1, 12, 31).isoformat()
    if kind == "period":
        return (published + relativedelta(years=PERIODS[groups["p"].lower()])).isoformat()
    count = _count(groups["n"], language) or 0
    if re.fullmatch(MONTHS, groups["u"], re.IGNORECASE):
        return (published + relativedelta(months=count)).isoformat()
    return (published + relativedelta(years=count)).isoformat()


def _money(figure: Figure) -> bool:
    return figure.unit in ecb_currencies()


def deadline_of(figure: Figure, sentence_figures: list[Figure], found: list[Deadline], text: str = "",
                headcount: bool = False) -> Deadline | None:
    """The deadline that governs `figure` (see the module's docstring). `sentence_figures` are the
    claims of its sentence; a `headcount` (people employed now) takes only a deadline right after it."""
    following = [d for d in found if d.start >= figure.end]
    if following:
        between = [f for f in sentence_figures if figure.end <= f.start and f.end <= following[0].start]
        if _money(figure) and any(not _money(f) for f in between):
            return None  # "invest €4bn and deploy 25,000 GPUs by 2025": the deadline is the GPUs'
        if OWN_YEAR.search(text, figure.end, following[0].start) \
                or NEW_CLAUSE.search(text, figure.end, following[0].start):
            return None  # "trained 250,000 people in 2023 and hopes to reach a million by 2025"
        if headcount and (between or ALREADY.search(text, max(0, figure.start - 60), figure.start)
                          or re.search(r"\s(?:and|et|e)\s", text[figure.end:following[0].start])):
            return None  # "employs 600 researchers and expects to double that by 2026"
        return following[0]
    if headcount:
        return None
    preceding = [d for d in found if d.end <= figure.start]
    if preceding and (OWN_TIME.match(text, figure.end) or NEW_CLAUSE.search(text, preceding[-1].end, figure.start)):
        return None  # "1.000 posti entro il 2026, di cui 300 già nel primo anno"
    return preceding[-1] if preceding else None


# A clause with a subject of its own: a deadline does not reach across it.
NEW_CLAUSE = re.compile(r",\s+(?:while|whereas|but|tandis\s+qu['’]?e?|alors\s+qu['’]?e?|mentre|ma|mais)\b|;",
                        re.IGNORECASE)
OWN_TIME = re.compile(r"[^.;]{0,40}?\b(?:(?:already\s+|déjà\s+|già\s+)?(?:in|en|nel|dès)\s+(?:the\s+|la\s+|il\s+)?"
                      r"(?:first|première|primo)\s+(?:year|année|anno)|(?:in|en|nel)\s+(?:19|20)\d\d)\b", re.IGNORECASE)
OWN_YEAR = re.compile(r"\b(?:in|en|nel|since|depuis|dal|dès)\s+(?:19|20)\d\d\b", re.IGNORECASE)
ALREADY = re.compile(r"\b(?:already|currently|now|today|déjà|actuellement|aujourd['’]hui|già|oggi|attualmente)\b",
                     re.IGNORECASE)
