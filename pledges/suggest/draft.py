"""Draft an annotation for a new article: every candidate figure, parsed, with a verified quote.

    python -m pledges.suggest.draft seeds/<file>.txt [--language en|fr|it] [--out drafts/]

Every figure the build's own reader finds (pledges.reading.numbers) that states money, a percentage, a
capacity, or a count of something named (jobs, hires, employees, people, startups, GPUs, sites...)
becomes a draft claim. For each the suggester decides, by rules a reviewer can read here:

- the **unit**: written with the figure, or the thing counted, from the noun after it;
- the **metric**, only when the words support it (money that is invested, people who are trained,
  a share of renewable energy); otherwise `TODO unknown metric`, never a guess from the unit;
- the **subject**: the organisation(s) the sentence is about, "X and Y" being both; an organisation
  is a name the package knows, or a capitalised name that acts like one (an acronym, a corporate
  suffix, a verb or a possessive after it), never a country, place, month or weekday;
- the **deadline**: "by end-2025", "d'ici fin 2027", "entro il 2026", "pour 2024", "d'ici la fin
  de l'année" (read against the article's date). A deadline governs the figures before it, back
  to the previous deadline of the sentence; one that opens the sentence governs what follows;
- the **quote**: the clause that states the figure, cut from the seed, so its offsets are right
  by construction.

Facts and source details are left as TODO for the person who reviews the draft.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import get_day_names

from pledges import ROOT
from pledges.errors import command
from pledges.inputs.annotations import load_facts
from pledges.reading.numbers import (
    ECB_CURRENCIES,
    LANGUAGES,
    Figure,
    counted_before,
    counted_unit,
    dates,
    find_figures,
    months,
    overlaps,
)

# Metrics by unit, and the words that must stand in the sentence for a figure to be that metric.
MONEY_METRICS = {
    "investment": r"invest\w*|spend\w*|spent|pledg\w*|commit\w*|inject\w*|pour\w*|put in|outlay|"
                  r"consacr\w*|verser|versera|enveloppe|budget|mettr\w* \w+ sur la table|stanzi\w*|spender\w*|"
                  r"destin\w*|sul piatto|project|projet\w*|progett\w*|plan\b|piano|costera|coûtera|costerà|cost\w*|"
                  r"announc\w*|annonc\w*|annunci\w*|promis\w*|promet\w*|prome\w*|engag\w*|impegn\w*",
}
OTHER_MONEY = (r"revenue\w*|sales|turnover|chiffre d'affaires|chiffre d’affaires|fatturato|ricavi|valu\w*|"
               r"vale\b|valoris\w*|raised|levé\w*|raccolt\w*|order book|manages|gère|gestisce")
# "This combined €5.5 billion": a figure that several organisations share.
COMBINED = r"\b(?:combined|together|jointly|ensemble|au total|cumulé\w*|conjoint\w*|complessiv\w*|insieme|in tutto)\b"
UNIT_METRICS = {"jobs": "jobs", "employees": "employees", "startups": "startups", "gpus": "gpus"}
TRAINING = r"\b(?:train\w*|retrain\w*|reskill\w*|requalifi\w*|riqualific\w*|" \
           r"skill\w*|form(?:er|era|ation|é|és|ée|ées|ent)\b|formar\w*|formazion\w*|format\w*|" \
           r"competenz\w*|compétenc\w*|cors[oi]|courses?|éduc\w*|educat\w*|upskill\w*)"
RENEWABLE = r"renewabl\w*|renouvelable\w*|rinnovabil\w*"
# People counted after a hiring verb are jobs; after a verb of employing, employees.
HIRING = (r"\b(?:hir\w*|recruit\w*|recrut\w*|embauch\w*|assum\w*|assun\w*|creat\w*|cré\w*|cre\w*|"
          r"mobilis\w*|mobilit\w*|"
          # a verb of employing in the future employs people who are not there yet
          r"(?:will|would|to|shall)\s+(?:\w+\s+)?employ|emploier\w*|impiegher\w*|occuper(?:à|anno)|"
          r"dar(?:à|anno)\s+lavoro(?:\s+a)?)\b")
# A person noun followed by a passive verb of hiring or training: "350 engineers will be recruited".
PASSIVE = re.compile(r"^\W*(?:[\w’'-]+\s+){1,3}?(?:will\s+be|to\s+be|are\s+to\s+be|be|seront|sont|saranno|"
                     r"verranno|vont\s+être|devraient\s+être)\s+(?P<verb>recruited|hired|trained|recrutés|recrutées|"
                     r"embauchés|embauchées|formés|formées|assunti|assunte|formati|formate)\b", re.IGNORECASE)
# People followed by a verb of working are already there: "2mila persone lavorano già".
WORKING = re.compile(r"^\W*(?:[\w’'-]+\s+){0,3}?(?:work|works|are\s+employed|travaill\w*|sont\s+employés|"
                     r"lavorano|lavora|sono\s+impiegat\w*)\b", re.IGNORECASE)
EMPLOYING = r"\b(?:employ\w*|emploi\w*|impieg\w*|lavoro a|staff|compte|conta|headcount|workforce|effectifs?|" \
            r"organico|forza lavoro|lavorano|lavora|travaillent|travaille)\b"
# "200 new engineers", "150 nouveaux salariés": people who are not there yet are jobs.
NEW_PEOPLE = re.compile(r"\s+(?:new|additional|extra|more|nouveaux|nouvelles|nuovi|nuove)\b", re.IGNORECASE)
PEOPLE_UNITS = ("people", "employees", "jobs")
# Organisations by other names: "AWS" is Amazon's, "Redmond" stands for Microsoft in the press.
ALIASES = {"Amazon Web Services": "Amazon", "AWS": "Amazon", "Redmond": "Microsoft"}
CORPORATE_SUFFIX = r"Inc|Corp|Corporation|Ltd|plc|SA|SAS|SpA|S\.p\.A\.|AG|GmbH|Group|Groupe|Gruppo|Holdings?"
ACTS = (r"'s|’s|will|would|said|says|plans?|announced|announces|has|have|is|expects|intends|pledged|promised|"
        r"committed|invests?|put|told|already|also|va|a|annonce|annoncé|prévoit|compte|veut|investira|investit|"
        r"injectera|promet|s'engage|s’engage|emploie|mettra|est|ha|investirà|investe|prevede|porterà|conta|"
        r"impiega|destinerà|annuncia|metterà|metteranno|investiranno|sosterrà|raised|levé|spent|employs")
NOT_NAMES = {"The", "A", "An", "In", "It", "Its", "This", "That", "These", "Those", "Last", "Some", "Over",
             "About", "More", "Le", "La", "Les", "L", "Un", "Une", "Au", "Aux", "En", "Selon", "Cette", "Ce",
             "Il", "Lo", "Gli", "I", "Una", "Uno", "Nel", "Secondo", "Sono", "Per", "Da", "Quasi", "Fino",
             "Almeno", "Environ", "Près", "Plus", "Deux", "Published", "Publié", "Pubblicato", "Exceeding",
             "Officials", "Analysts", "Shares", "Capacity", "Dozens", "Elysee", "Elysée", "Bercy", "AI", "IA",
             "CDI", "GPU", "GPUs", "CEO", "US", "EU", "UE", "USA", "UK", "MW", "GW", "Md", "M", "Mds", "PDG",
             "Reuters", "AFP", "ANSA", "Adnkronos", "AP", "Bloomberg", "Microsoft's", "Hexagone", "Paese",
             "Europe", "Europa", "Summit", "Choose", "France", "Alsace", "Agglomération", "Sud", "Nord"}
CONNECTOR = re.compile(r"\s*(?:and|et|e|&)\s*", re.IGNORECASE)
DEADLINE = re.compile(
    r"\b(?:by|before|until|for|through)\s+(?:the\s+)?(?:end(?:-|\s+of\s+)|late\s+|early\s+)?(?P<y1>20\d\d)\b"
    r"|\bby\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b(?P<eoy1>)"
    r"|\bd[’']ici\s+(?:à\s+)?(?:la\s+)?(?:fin\s+)?(?:de\s+)?(?P<y2>20\d\d)\b"
    r"|\b(?:d[’']ici|avant)\s+(?:la\s+)?fin\s+(?:de\s+)?l[’']année\b(?P<eoy2>)"
    r"|\b(?:pour|fin|avant|horizon|à\s+l[’']horizon)\s+(?P<y3>20\d\d)\b"
    r"|\bentro\s+(?:il\s+|la\s+fine\s+del\s+|fine\s+)?(?P<y4>20\d\d)\b"
    r"|\bentro\s+(?:la\s+)?fine\s+(?:dell[’']\s*)?anno\b(?P<eoy3>)",
    re.IGNORECASE)
STOP_WORDS = {"en": {"the", "and", "of", "to", "in", "is", "will", "has"},
              "fr": {"le", "la", "les", "des", "et", "est", "une", "pour", "dans"},
              "it": {"il", "di", "che", "della", "per", "una", "nel", "sono", "anche"}}
CLAUSE_DELIMITERS = re.compile(r"[;:]\s|,\s|\s[–—-]\s|\n")
SHORT_CLAUSE = 25  # a clause shorter than this is joined to the one before it
MAX_QUOTE = 220
FORMULA_START = "=+-@\t\r"


@dataclass(frozen=True)
class Suggestion:
    figure: Figure
    quote_start: int
    quote_end: int
    unit: str
    metric: str
    subject: str
    target: str
    target_date: str
    inferred: str = ""


def detect_language(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return max(STOP_WORDS, key=lambda language: sum(w in STOP_WORDS[language] for w in words))


@cache
def _abbreviation(language: str) -> re.Pattern:
    """Words a full stop follows without ending the sentence: initials, month abbreviations, titles."""
    words = [m for m in months(language) if len(m) <= 5] + ["Mr", "Mrs", "Dr", "St", "M"]
    return re.compile(rf"\b(?:[A-Z]|{'|'.join(map(re.escape, words))})\.$", re.IGNORECASE)


def sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and headlines: a line is never part of two sentences)."""
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+", text):
        if not _abbreviation(language).search(text, max(start, match.start() - 8), match.start()):
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# ------------------------------------------------------------------------------------- subjects

@cache
def _places() -> frozenset[str]:
    """Names that are never organisations: countries, months and weekdays in the three languages."""
    names = set()
    for language in LANGUAGES:
        locale = Locale(language)
        names.update(locale.territories.values())
        names.update(n.capitalize() for n in months(language))
        names.update(n.capitalize() for n in get_day_names("wide", locale=language).values())
    return frozenset(names)


_NAME = re.compile(r"(?<![\w’'])(?:[A-Z][\w&’'-]*|[a-z]+[A-Z]\w*)(?:[ \t]+(?:[A-Z][\w&’'-]*|AI|Web|de|of|du))*")


def organisations(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Mentions of organisations in `text`, as (start, end, name), in order: the names the package
    knows (and their aliases) wherever they stand, then capitalised names that act like one."""
    names = {**{name: name for name in known}, **ALIASES}
    found = []
    if names:
        pattern = rf"(?<![\w])(?:{'|'.join(re.escape(n) for n in sorted(names, key=len, reverse=True))})(?![\w])"
        found = [(m.start(), m.end(), names[m.group(0)]) for m in re.finditer(pattern, text)]
    known_spans = [(a, b) for a, b, _ in found]
    candidates = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and (words[-1] in ("de", "of", "du") or words[-1] in NOT_NAMES):
            words.pop()
        while words and (words[0] in NOT_NAMES or words[0] in _places()):
            words.pop(0)
        if not words:
            continue
        name = re.sub(r"(?:’s|'s)$", "", " ".join(words).rstrip("’'"))
        start = match.start() + match.group(0).index(words[0])
        end = start + len(name)
        if overlaps(known_spans, start, end) or all(w in _places() for w in name.split()):
            continue
        candidates.append((start, end, name))
    accepted = {c for c in candidates if _acts_like_organisation(text, *c)}
    for candidate, following in zip(candidates, candidates[1:]):  # "Contoso and Fabrikam will"
        if following in accepted and CONNECTOR.fullmatch(text[candidate[1]:following[0]]):
            accepted.add(candidate)
    return sorted([*found, *accepted])


def _acts_like_organisation(text: str, start: int, end: int, name: str) -> bool:
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}|[A-Z][a-z]+[A-Z0-9]\w*|[a-z]+[A-Z]\w*", name):
        return True  # IBM, G42, OVHcloud, MGX
    after = text[end:end + 40]
    if re.match(rf"\s+(?:{CORPORATE_SUFFIX})\b", after) or re.match(r"(?:’s|'s)\b", after):
        return True
    if re.match(rf",?\s+(?:{ACTS})\b", after):
        return True
    return bool(re.search(r"\b(?:group|company|firm|groupe|géant|gruppo|colosso|società|operator|opérateur|"
                          r"operatore|fonds|fund|fondo|chipmaker|giant)\s+$", text[max(0, start - 30):start],
                          re.IGNORECASE))


def subject_of(text: str, figure: Figure, sentence: tuple[int, int], orgs, starts: list[int]) -> str:
    """The organisation(s) a figure's sentence is about: the last named before the figure in its
    sentence ("X and Y" being both); else the one the text was last about ("It will also...",
    "The firm..."); else the first named after the figure. `orgs` are sorted, `starts` their starts."""
    first, upto = bisect.bisect_left(starts, sentence[0]), bisect.bisect_left(starts, figure.start)
    before = [o for o in orgs[first:upto] if o[1] <= figure.start]
    if re.search(COMBINED, text[sentence[0]:figure.end], re.IGNORECASE):
        named: list[str] = []
        for at in range(upto - 1, -1, -1):
            if orgs[at][2] not in named:
                named.insert(0, orgs[at][2])
            if len(named) == 2:
                return " and ".join(named)
    if before:
        last = before[-1]
        names = [last[2]]
        for previous in reversed(before[:-1]):
            if CONNECTOR.fullmatch(text[previous[1]:last[0]]) or re.fullmatch(r"\s*,\s*", text[previous[1]:last[0]]):
                names.insert(0, previous[2])
                last = previous
            else:
                break
        return " and ".join(dict.fromkeys(names))
    if first > 0:
        return orgs[first - 1][2]
    after = [o for o in orgs[upto:bisect.bisect_left(starts, sentence[1])] if o[1] <= sentence[1]]
    return after[0][2] if after else "TODO"


# ------------------------------------------------------------------------------------ deadlines

def published_date(text: str, language: str) -> tuple[date | None, str]:
    """The article's date, where a dateline states one with its year: (date, the words)."""
    numbers = months(language)
    for start, end in dates(text, language):
        words = text[start:end]
        iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", words)
        if iso:
            return date(*map(int, iso.groups())), words
        spelled = re.search(r"(\d{1,2})\w*\s+([^\W\d]+)\.?\s+(\d{4})", words)
        if spelled and spelled.group(2).lower() in numbers:
            return date(int(spelled.group(3)), numbers[spelled.group(2).lower()], int(spelled.group(1))), words
    return None, ""


def deadlines(text: str, span: tuple[int, int], published: date | None) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each deadline in a sentence: the last day of the period named."""
    found = []
    for match in DEADLINE.finditer(text, *span):
        year = next((match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)), None)
        if year is None:
            if published is None:
                continue  # "by the end of the year", but the article gives no year
            year = str(published.year)
        found.append((match.start(), match.end(), f"{year}-12-31"))
    return found


def deadline_of(figure: Figure, sentence_figures: list[Figure], found) -> tuple[int, int, str] | None:
    """The deadline that governs `figure`: the first after it in its sentence, unless a figure
    stands between them and one of the two is money ("invest €4bn and deploy 25,000 GPUs by 2025":
    the deadline is the GPUs'); else a deadline that opens the sentence."""
    following = [d for d in found if d[0] >= figure.end]
    if following:
        between = [f for f in sentence_figures if figure.end <= f.start and f.end <= following[0][0]]
        money = [f for f in (figure, *between) if f.unit in ECB_CURRENCIES]
        return None if between and money else following[0]
    first = sentence_figures[0].start if sentence_figures else figure.start
    leading = [d for d in found if d[1] <= first]
    return leading[-1] if leading else None


# --------------------------------------------------------------------------------------- quotes

def clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` around text[start:end]: from the delimiter before to the one after."""
    left, right = sentence
    for match in CLAUSE_DELIMITERS.finditer(text, sentence[0], start):
        left = match.end()
    following = CLAUSE_DELIMITERS.search(text, end, sentence[1])
    if following:
        right = following.start()
    if start - left < SHORT_CLAUSE and left > sentence[0]:  # "creating 3,000 jobs": join the clause before
        previous = [m.end() for m in CLAUSE_DELIMITERS.finditer(text, sentence[0], left - 2)]
        left = previous[-1] if previous else sentence[0]
    left = max(left, end - MAX_QUOTE)
    while left < start and (text[left].isspace() or text[left] in FORMULA_START or text[left] in "\"«“'("):
        left += 1
    while right > end and (text[right - 1].isspace() or text[right - 1] in ".,;:"):
        right -= 1
    return left, right


# ------------------------------------------------------------------------------------- suggest

def metric_of(unit: str, words: str, at: int) -> str:
    """The metric of the figure at offset `at` of its sentence `words`, or "" when they do not say."""
    if unit in ECB_CURRENCIES:  # the nearest word that says what the money is decides
        cues = [(abs(m.start() - at), "investment") for m in re.finditer(MONEY_METRICS["investment"], words, re.I)]
        cues += [(abs(m.start() - at), "") for m in re.finditer(OTHER_MONEY, words, re.I)]
        return min(cues)[1] if cues else ""
    if unit == "people":
        return "people_trained" if re.search(TRAINING, words, re.IGNORECASE) else ""
    if unit == "percent":
        return "renewable_energy_share" if re.search(RENEWABLE, words, re.IGNORECASE) else ""
    return UNIT_METRICS.get(unit, "")


def _elided_unit(text: str, figure: Figure, in_sentence: list[Figure], language: str) -> str | None:
    """"trained 250,000 people ... to reach a million": a bare count takes the unit of the count
    before it in its sentence."""
    if figure.unit is not None:
        return None
    earlier = [f for f in in_sentence if f.end <= figure.start and f.unit is None]
    units = [counted_unit(text, f.end, language) for f in earlier]
    units = [u for u in units if u]
    return units[-1] if units else None


def _people_unit(text: str, figure: Figure, sentence: tuple[int, int], unit: str) -> str | None:
    """People counted after a hiring verb are jobs, after a verb of employing employees, after a
    verb of training people; the verb nearest the figure decides ("compte former un million de
    personnes" trains them). A small number of people written in words is an attribution ("two
    people familiar with"), not a figure."""
    if figure.value < 10 and not figure.text[:1].isdigit():
        return None
    before = text[max(sentence[0], figure.start - 40):figure.start]
    cues = [(m.end(), index, kind) for index, (kind, pattern) in
            enumerate((("employees", EMPLOYING), ("jobs", HIRING), ("people", TRAINING)))
            for m in re.finditer(pattern, before, re.IGNORECASE)]  # on a tie, the later pattern
    if unit == "employees" and NEW_PEOPLE.match(text, figure.end):
        return "jobs"
    if cues:
        return max(cues)[2]
    after = text[figure.end:min(sentence[1], figure.end + 50)]
    if unit in ("people", "employees"):  # "350 engineers will be recruited", "seront formés"
        passive = PASSIVE.match(after)
        if passive:
            hired = re.fullmatch(HIRING, passive.group("verb"), re.IGNORECASE)
            return "jobs" if hired else "people"
    return "employees" if unit == "people" and WORKING.match(after) else unit


def _by_sentence(figures: list[Figure], spans: list[tuple[int, int]]):
    """(sentence, its figures) for each sentence with figures; both lists are in text order."""
    starts = [a for a, _ in spans]
    grouped: dict[tuple[int, int], list[Figure]] = {}
    for figure in figures:
        at = bisect.bisect_right(starts, figure.start) - 1
        sentence = spans[at] if at >= 0 and figure.start < spans[at][1] else (figure.start, figure.end)
        grouped.setdefault(sentence, []).append(figure)
    return grouped.items()


def suggest(text: str, language: str, known: frozenset[str] = frozenset()) -> list[Suggestion]:
    figures = find_figures(text, language)
    currencies = Counter(f.unit for f in figures if f.unit in ECB_CURRENCIES)
    orgs = organisations(text, known)
    org_starts = [o[0] for o in orgs]
    published, _ = published_date(text, language)
    suggestions = []
    for sentence, in_sentence in _by_sentence(figures, sentences(text, language)):
        found = deadlines(text, sentence, published)
        words = text[sentence[0]:sentence[1]]
        for figure in in_sentence:
            unit, inferred = figure.unit or counted_unit(text, figure.end, language), ""
            if unit is None and figure.scale >= 6 and currencies:
                # "4 milliards" in a headline: an amount whose currency the article gives elsewhere.
                unit = currencies.most_common(1)[0][0]
                inferred = f"no currency written; the article's other amounts are mostly in {unit}"
            if unit is None and figure.unit is None:
                unit = counted_before(text, figure.start, language)
            unit = unit or _elided_unit(text, figure, in_sentence, language)
            if unit is None and figure.unit is None and figure.value >= 10 and re.search(
                    rf"{TRAINING}\w*\s+(?:\S+\s+){{0,2}}$", text[max(sentence[0], figure.start - 40):figure.start],
                    re.IGNORECASE):
                unit = "people"  # "formati un milione di italiani": whoever is trained, people
            if unit in PEOPLE_UNITS and figure.unit is None:
                unit = _people_unit(text, figure, sentence, unit)
            if unit is None:
                continue  # a number that counts nothing named (a rank, a page counter), or an attribution
            deadline = deadline_of(figure, in_sentence, found)
            governed_end = deadline[1] if deadline and deadline[0] >= figure.end else figure.end
            start, end = clause(text, sentence, figure.start, governed_end)
            metric = metric_of(unit, words, figure.start - sentence[0]) or f"TODO unknown metric ({unit})"
            suggestions.append(Suggestion(
                figure, start, end, unit, metric, subject_of(text, figure, sentence, orgs, org_starts),
                text[deadline[0]:deadline[1]] if deadline else "", deadline[2] if deadline else "", inferred))
    return suggestions


def known_subjects(root: Path) -> frozenset[str]:
    """The organisations the package's facts name ("X and Y" names two), so that a draft
    recognises them; a facts file with problems names what it can."""
    facts = load_facts(root, []) if (root / "annotations" / "facts.yaml").is_file() else {}
    return frozenset(name for fact in facts.values() for name in fact.subject.split(" and ") if name)


def draft(seed: Path, language: str | None = None, known: frozenset[str] = frozenset()) -> str:
    """The draft annotation of `seed`, as YAML text the loader accepts once the TODOs are done."""
    raw = seed.read_bytes()
    text = raw.decode("utf-8")
    language = language or detect_language(text)
    published, evidence = published_date(text, language)
    claims = []
    for number, s in enumerate(suggest(text, language, known), start=1):
        claim = {"id": f"c{number:02d}", "fact": "TODO", "quote": text[s.quote_start:s.quote_end],
                 "start": str(s.quote_start), "end": str(s.quote_end), "subject": s.subject,
                 "metric": s.metric, "value": format(s.figure.value, "f"), "unit": s.unit,
                 "qualifier": s.figure.qualifier}
        if s.figure.value_to is not None:
            claim["value_to"] = format(s.figure.value_to, "f")
        if s.target:
            claim.update(target=s.target, target_date=s.target_date)
        if s.inferred:
            claim["inferred"] = s.inferred
        claims.append(claim)
    document = {"seed": seed.name, "sha256": hashlib.sha256(raw).hexdigest(), "publisher": "TODO",
                "title": "TODO", "language": language, "published": published.isoformat() if published else "",
                "date_basis": "stated" if published else "unknown", "date_evidence": evidence, "author": "",
                "url": "", "notes": "Draft by make suggest; review every claim.", "claims": claims}
    return dump(document)


PLAIN = re.compile(r"[\w€$£(][^\n]*")
NOT_PLAIN = re.compile(r":\s|\s#|:$")  # what would end or comment a plain scalar in a block


def _scalar(value: str) -> str:
    """A value as YAML writes it: plain where the package's loader reads it back unchanged, else
    double-quoted (a JSON string is a YAML double-quoted string)."""
    if value and PLAIN.fullmatch(value) and not NOT_PLAIN.search(value) and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def dump(document: dict) -> str:
    """The draft annotation as YAML in the annotations' layout: keys, then the claims list."""
    lines = []
    for key, value in document.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                for number, (name, text) in enumerate(item.items()):
                    lines.append(f"  {'- ' if number == 0 else '  '}{name}: {_scalar(text)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


@command("suggest")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draft an annotation for a seed article.")
    parser.add_argument("seed", type=Path)
    parser.add_argument("--language", choices=sorted(STOP_WORDS))
    parser.add_argument("--out", type=Path, default=Path("drafts"))
    args = parser.parse_args(argv)
    if not args.seed.is_file():
        print(f"{args.seed}: no such seed file", file=sys.stderr)
        return 1
    try:
        yaml = draft(args.seed, args.language, known_subjects(ROOT))
    except UnicodeDecodeError as error:
        print(f"{args.seed}: not UTF-8 text ({error})", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.seed.stem}.yaml"
    path.write_text(yaml, encoding="utf-8")
    print(f"==> wrote {path}: {yaml.count('- id:')} candidate claims; review them, fill in the TODOs, "
          f"then move it to annotations/sources/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
