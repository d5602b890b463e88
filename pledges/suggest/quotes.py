"""The layout of an article as a draft needs it: its language, sentences, headlines, dateline, and
the clause that quotes a figure.

A dateline ("PARIS, 19 mai 2025 (AFP) -") and an all-caps headline are page furniture: no
organisation is named in them and no quote starts in them. A quote is the clause that states the
figure, cut from the seed (so its offsets are right by construction), and starts and ends on word
boundaries.
"""

from __future__ import annotations

import re
from functools import cache

from pledges.reading.numbers import months

STOP_WORDS = {"en": {"the", "and", "of", "to", "in", "is", "will", "has"},
              "fr": {"le", "la", "les", "des", "et", "est", "une", "pour", "dans"},
              "it": {"il", "di", "che", "della", "per", "una", "nel", "sono", "anche"}}
# "PARIS, 19 mai 2025 (AFP) - ", "OSLO, Sept 18 (Reuters) – ": a place in capitals, a date or an agency, a dash.
DATELINE = re.compile(r"^[ \t]*[A-ZÀ-Ý][A-ZÀ-Ý'’. -]{1,40},[ \t]+(?P<rest>[^\n]{0,60}?)[ \t]*[-–—]+[ \t]+",
                      re.MULTILINE)
CLAUSE_DELIMITERS = re.compile(r"[;:]\s|,\s|\s[–—-]\s|\n")
SHORT_CLAUSE = 25  # a clause shorter than this is joined to the one before it
MAX_QUOTE = 220
FORMULA_START = "=+-@\t\r"
OPENING = "\"«“'(‘"


def detect_language(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return max(STOP_WORDS, key=lambda language: sum(w in STOP_WORDS[language] for w in words))


@cache
def _abbreviation(language: str) -> re.Pattern:
    """Words a full stop follows without ending the sentence: initials, month abbreviations, titles."""
    words = [m for m in months(language) if len(m) <= 5] + ["Mr", "Mrs", "Dr", "St", "M", "Sept"]
    return re.compile(rf"\b(?:[A-Z]|{'|'.join(map(re.escape, words))})\.$", re.IGNORECASE)


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of the datelines that open a paragraph: a place in capitals, a date or agency, a dash."""
    spans = []
    for match in DATELINE.finditer(text):
        rest = match["rest"]
        if re.search(r"\d|\(", rest) or any(w.lower().rstrip(".") in months("en") for w in rest.split()):
            spans.append((match.start(), match.end()))
    return spans


def headline(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a line in capitals (three words or more): a headline or a kicker."""
    words = re.findall(r"[^\W\d_]+", text[start:end])
    letters = "".join(words)
    return len(words) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and headlines: a line is never part of two sentences); a dateline is
    a span of its own, so that the sentence after it starts after the dash."""
    cuts = {b for _, b in datelines(text)}
    spans, start = [], 0
    breaks = sorted([(m.start(), m.end()) for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+", text)]
                    + [(c, c) for c in cuts])
    for at, after in breaks:
        if at < start:
            continue
        if at in cuts or not _abbreviation(language).search(text, max(start, at - 8), at):
            spans.append((start, at))
            start = after
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` around text[start:end]: from the delimiter before to the one after,
    on word boundaries."""
    left, right = sentence
    for match in CLAUSE_DELIMITERS.finditer(text, sentence[0], start):
        left = match.end()
    following = CLAUSE_DELIMITERS.search(text, end, sentence[1])
    if following:
        right = following.start()
    if start - left < SHORT_CLAUSE and left > sentence[0]:  # "creating 3,000 jobs": join the clause before
        previous = [m.end() for m in CLAUSE_DELIMITERS.finditer(text, sentence[0], left - 2)]
        left = previous[-1] if previous else sentence[0]
    if left < end - MAX_QUOTE:
        left = end - MAX_QUOTE
        while left < start and text[left - 1].isalnum():  # never start in the middle of a word
            left += 1
    while left < start and (text[left].isspace() or text[left] in FORMULA_START or text[left] in OPENING):
        left += 1
    while right < len(text) and right > 0 and text[right - 1].isalnum() and text[right].isalnum():
        right += 1
    while right > end and (text[right - 1].isspace() or text[right - 1] in ".,;:"):
        right -= 1
    return left, right
