"""Every figure of an article as a draft claim or a not-claim, with the fields a claim carries.

The figures are the build's own reader's (pledges.reading.numbers), so that the draft and the
coverage check never disagree about what the article states. For each figure: its unit and metric
(metrics), whether it is a claim at all (notclaims), its subject (subjects), its deadline
(deadlines), who states it (attribution) and the clause that quotes it (quotes).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from pledges.reading.numbers import Figure, counted_before, counted_unit, ecb_currencies, find_figures
from pledges.suggest import metrics
from pledges.suggest.attribution import attribution_of
from pledges.suggest.deadlines import Deadline, deadline_of, deadlines, published_date
from pledges.suggest.notclaims import reason
from pledges.suggest.quotes import MAX_QUOTE, clause, datelines, headline, sentences
from pledges.suggest.subjects import subjects


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
    attribution: str = ""
    claim: bool = True
    reason: str = ""  # why it is not a claim


def _by_sentence(figures: list[Figure], spans: list[tuple[int, int]]):
    """(sentence, its figures) for each sentence with figures; both lists are in text order."""
    starts = [a for a, _ in spans]
    grouped: dict[tuple[int, int], list[Figure]] = {}
    for figure in figures:
        at = bisect.bisect_right(starts, figure.start) - 1
        sentence = spans[at] if at >= 0 and figure.start < spans[at][1] else (figure.start, figure.end)
        grouped.setdefault(sentence, []).append(figure)
    return grouped.items()


def _first_body(text: str, spans: list[tuple[int, int]]) -> int:
    """Where the article's body starts: after the headlines (lines in capitals, and a first line
    with no full stop followed by a dateline or a blank line)."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    body = 0
    for start, end in lines:
        stripped = text[start:end].strip()
        if headline(text, start, end) or any(a == start for a, _ in datelines(text)):
            body = end
            if any(a == start for a, _ in datelines(text)):
                return next(b for a, b in datelines(text) if a == start)
            continue
        if start == lines[0][0] and not stripped.endswith((".", "!", "?", "”", "\"", "»")) and len(lines) > 1:
            body = end
            continue
        break
    return body


# Words after an amount that do not name what it counts: "4 milliards en France", "150 millions restants".
NOT_NOUNS = {"en", "in", "dans", "pour", "for", "to", "into", "nel", "nella", "per", "a", "à", "au", "aux", "entro",
             "by", "sur", "on", "over", "et", "and", "e", "da", "dal", "from", "già", "déjà", "already", "restants",
             "restantes", "restanti", "remaining", "more", "supplémentaires", "aggiuntivi", "additional", "this",
             "cette", "ce", "quest", "questo", "l", "il", "la", "le", "les", "the", "will", "sera", "saranno",
             "seront", "were", "was", "are", "is", "est", "sont", "è", "sono", "che", "qui", "which", "that"}


def _noun_follows(text: str, end: int) -> bool:
    """Whether a noun (or "of"/"de"/"di" and one) follows an amount: "20 million users", "2 miliardi di Pil"."""
    after = re.match(r"[ \t]+([^\W\d_][\w-]*)", text[end:end + 40])
    return after is not None and after.group(1).lower() not in NOT_NOUNS


def unit_of(text: str, figure: Figure, sentence: tuple[int, int], in_sentence: list[Figure], language: str,
            currencies: Counter) -> tuple[str | None, str]:
    """(unit, why it was inferred) of a figure: written, counted, or carried from the article."""
    unit, inferred = figure.unit or counted_unit(text, figure.end, language), ""
    trained = figure.value >= 10 and re.search(rf"{metrics.TRAINING}\w*\s+(?:\S+\s+){{0,2}}$",
                                               text[max(sentence[0], figure.start - 40):figure.start], re.IGNORECASE)
    if unit is None and figure.unit is None and trained:
        unit = "people"  # "formati un milione di italiani": whoever is trained, people
    noun = _noun_follows(text, figure.end)
    if unit is None and figure.scale >= 6 and currencies and not noun:
        # "4 milliards" in a headline, "les 5 milliards restants": money whose currency the article gives elsewhere.
        unit = currencies.most_common(1)[0][0]
        inferred = f"no currency written; the article's other amounts are mostly in {unit}"
    if unit is None and figure.unit is None:
        unit = counted_before(text, figure.start, language)
    if unit is None and not (noun and figure.scale >= 6):  # "2 miliardi di Pil" counts no one
        unit = metrics.elided_unit(text, figure, in_sentence, language)
    if unit in metrics.PEOPLE_UNITS and figure.unit is None:
        unit = metrics.people_unit(text, figure, sentence, unit)
    return unit, inferred


def suggest(text: str, language: str, known: frozenset[str] = frozenset(),
            published: date | None = None) -> list[Suggestion]:
    """Every figure of `text` as a claim or a not-claim. `published` is the article's date when
    it is known from elsewhere; otherwise it is read from the text."""
    figures = find_figures(text, language)
    currencies = Counter(f.unit for f in figures if f.unit in ecb_currencies())
    spans = sentences(text, language)
    who = subjects(text, spans, language, known)
    employers = {p.name: p.employer for p in who.persons if p.employer}
    names = {m.name for m in who.mentions} | {text[m.start:m.end] for m in who.mentions}
    published = published or published_date(text, language)[0]
    body = _first_body(text, spans)
    suggestions = []
    earlier: list[Deadline] = []
    for sentence, in_sentence in _by_sentence(figures, spans):
        found = deadlines(text, sentence, language, published, earlier)
        earlier += found
        words = text[sentence[0]:sentence[1]]
        drafted = []
        for figure in in_sentence:
            unit, inferred = unit_of(text, figure, sentence, in_sentence, language, currencies)
            metric = metrics.metric_of(unit, words, figure.start - sentence[0], language) if unit else ""
            why = reason(text, figure, unit, metric, sentence, language, organisation=names.__contains__)
            drafted.append((figure, unit, inferred, metric, why))
        claimed = [figure for figure, *_, why in drafted if not why]
        for figure, unit, inferred, metric, why in drafted:
            subject = who.subject_of(figure, sentence, body)
            deadline = None if why else deadline_of(figure, claimed, found, text, headcount=metric == "employees")
            start, end = clause(text, sentence, figure.start, deadline.end if deadline and deadline.start >= figure.end
                                else figure.end)
            if deadline and deadline.start < start:  # "By 2027, Microsoft plans to train": the quote holds it
                start = deadline.start if figure.end - deadline.start <= 2 * MAX_QUOTE else start
            if deadline and not start <= deadline.start < deadline.end <= end:
                deadline = None
            suggestions.append(Suggestion(
                figure, start, end, unit or "", metric or f"TODO unknown metric ({unit})", subject,
                text[deadline.start:deadline.end] if deadline else "", deadline.iso if deadline else "", inferred,
                attribution_of(text, sentence, figure.start, subject, employers), claim=not why, reason=why))
    return suggestions
