"""Draft an annotation for a new article: every candidate figure, parsed, with a verified quote.

    python -m pledges.suggest seeds/<file>.txt [--language en|fr|it] [--out drafts/]

The draft lists each figure the build's own parser reads (pledges.figures) that looks like a
pledge: money, a percentage, or a count followed by what it counts (people, startups, GPUs, jobs,
employees). Dates, years used as deadlines and page furniture are left out. For each it guesses
the metric from that noun, the subject from the company named last before it, the qualifier from
the hedge before it, and a deadline ("by 2027", "d'ici fin 2027", "entro il 2027") from the
sentence. The quote is the figure's sentence, cut from the seed, so its offsets are right by
construction. Facts and source details are left as TODO for the person who reviews the draft.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import strictyaml as sy

from pledges.annotations import SOURCE_SCHEMA
from pledges.figures import Figure, find_figures, iso_dates

# What a count counts, by the noun after it.
NOUNS = {
    "people": ("people", "persons", "personnes", "persone", "cittadini", "citizens"),
    "startups": ("startups", "startup", "start-up", "start-ups"),
    "gpus": ("gpus", "gpu"),
    "jobs": ("jobs", "job", "positions", "emplois", "emploi", "postes", "posti"),
    "employees": ("employees", "salariés", "employés", "dipendenti"),
}
METRICS = {"EUR": "investment", "USD": "investment", "percent": "renewable_energy_share",
           "people": "people_trained", "startups": "startups", "gpus": "gpus", "jobs": "jobs",
           "employees": "employees"}
COMPANIES = {"Amazon Web Services": "Amazon", "AWS": "Amazon", "Amazon": "Amazon",
             "Microsoft": "Microsoft", "Redmond": "Microsoft"}
TARGET = re.compile(
    r"\b(?:by|before)\s+(?:the\s+end\s+of\s+)?(\d{4})\b|\bfor\s+(\d{4})\b"
    r"|\bd[’']ici\s+(?:(?:la\s+)?fin\s+)?(\d{4})\b|\bentro\s+(?:la\s+fine\s+del\s+|il\s+)?(\d{4})\b",
    re.IGNORECASE)
STOP_WORDS = {"en": {"the", "and", "of", "to", "in", "is", "will", "has"},
              "fr": {"le", "la", "les", "des", "et", "est", "une", "pour", "dans"},
              "it": {"il", "di", "che", "della", "per", "una", "nel", "sono", "anche"}}
WINDOW = 5  # words after a number in which to look for what it counts


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


def _counted(text: str, figure: Figure) -> str | None:
    after = re.split(r"[.,;:!?()\n]", text[figure.end:figure.end + 80], maxsplit=1)[0]
    for word in re.findall(r"[\w’'-]+", after.lower())[:WINDOW]:
        for unit, nouns in NOUNS.items():
            if word.strip("’'") in nouns:
                return unit
    return None


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "! ", "? "))) + 1
    right = min([i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "! ", "? "))) if i >= 0]
                or [len(text)])
    while left < start and text[left].isspace():
        left += 1
    return left, right


def suggest(text: str, language: str) -> list[Suggestion]:
    dates = iso_dates(text)
    figures = find_figures(text, language)
    currencies = Counter(f.unit for f in figures if f.unit in ("EUR", "USD"))
    suggestions = []
    for figure in figures:
        if any(a <= figure.start < b for a, b in dates):
            continue
        unit, inferred = figure.unit or _counted(text, figure), ""
        if unit is None and figure.value >= 10**6 and currencies:
            # "4 milliards" in a headline: an amount whose currency the article gives elsewhere.
            unit = currencies.most_common(1)[0][0]
            inferred = f"no currency written; the article's other amounts are mostly in {unit}"
        if unit is None:
            continue  # a year, a day of the month, a page counter: not a pledge
        start, end = _sentence(text, figure.start, figure.end)
        companies = [(m.start(), m.group(0)) for m in re.finditer("|".join(COMPANIES), text[:figure.start])]
        target = next((m for m in TARGET.finditer(text, start, end)), None)
        year = next(g for g in target.groups() if g) if target else ""
        suggestions.append(Suggestion(
            figure, start, end, unit, METRICS[unit], COMPANIES[companies[-1][1]] if companies else "TODO",
            target.group(0) if target else "", f"{year}-12-31" if year else "", inferred))
    return suggestions


def draft(seed: Path, language: str | None = None) -> str:
    """The draft annotation of `seed`, as YAML text the loader accepts once the TODOs are done."""
    raw = seed.read_bytes()
    text = raw.decode("utf-8")
    language = language or detect_language(text)
    claims = []
    for number, s in enumerate(suggest(text, language), start=1):
        claim = {"id": f"c{number:02d}", "fact": "TODO", "quote": text[s.quote_start:s.quote_end],
                 "start": str(s.quote_start), "end": str(s.quote_end), "subject": s.subject,
                 "metric": s.metric, "value": format(s.figure.value, "f"), "unit": s.unit,
                 "qualifier": s.figure.qualifier}
        if s.target:
            claim.update(target=s.target, target_date=s.target_date)
        if s.inferred:
            claim["inferred"] = s.inferred
        claims.append(claim)
    document = {"seed": seed.name, "sha256": hashlib.sha256(raw).hexdigest(), "publisher": "TODO",
                "title": "TODO", "language": language, "published": "", "date_basis": "unknown",
                "date_evidence": "", "author": "", "url": "", "notes": "Draft by make suggest; review every claim.",
                "claims": claims}
    return sy.as_document(document, SOURCE_SCHEMA).as_yaml()


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
        yaml = draft(args.seed, args.language)
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
