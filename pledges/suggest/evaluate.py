"""Measure the suggester: every field a draft proposes, against what a careful reader says.

    python -m pledges.suggest.evaluate

A claim is found when a drafted claim reads a figure overlapping it with the same value (and upper
end, for a range) and unit. Recall is claims found over claims there; precision is drafted claims
that find one over all drafted claims. On each claim found, the draft's qualifier, subject, metric,
deadline and (where annotated) attribution are scored right, TODO (the draft says it cannot tell:
better than a wrong name) or wrong; deadlines are scored on the claims whose text gives one, and a
deadline drafted where the text gives none is counted as a failure. A not-claim is right when no
drafted claim reads it; an article's date is right when the draft reads the date its text states.

The sets: the seeds (against their hand annotations), evaluation/corpus.yaml (rules were written
against it), evaluation/holdout.yaml (held out once, now seen) and evaluation/holdout2.yaml (held
out until this round's rules were done; measured once, not a gate). Each field has a floor per set
in evaluation/floors.yaml, which every language and the whole set must reach; `make eval` fails
when a gated set falls below one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pledges import ROOT
from pledges.errors import BuildFailed, command
from pledges.inputs.annotations import load
from pledges.inputs.yamlfile import Map, Seq, Str, YamlError
from pledges.inputs.yamlfile import read as read_yaml
from pledges.suggest.claims import Suggestion, suggest
from pledges.suggest.corpus import LANGUAGES, Expected, read_texts
from pledges.suggest.quotes import detect_language
from pledges.suggest.subjects import known_subjects, same_subject

SETS = {"corpus": "evaluation/corpus.yaml", "holdout": "evaluation/holdout.yaml",
        "holdout2": "evaluation/holdout2.yaml"}
GATED = ("seeds", "corpus", "holdout")
FLOORS = "evaluation/floors.yaml"
FIELDS = ("recall", "precision", "qualifier", "subject", "metric", "deadline", "attribution", "not-claims", "date")
FLOORS_SCHEMA = Map({"floors": Seq(Map({"set": Str}, dict.fromkeys(FIELDS, Str)))})


@dataclass
class Tally:
    right: int = 0
    todo: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        return self.right + self.todo + self.wrong

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, other: Tally) -> None:
        self.right, self.todo, self.wrong = self.right + other.right, self.todo + other.todo, self.wrong + other.wrong

    def text(self) -> str:
        if not self.total:
            return "-"
        return f"{self.rate:.1%} ({self.right}/{self.total}{f', {self.todo} TODO' if self.todo else ''})"


@dataclass
class Score:
    name: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in FIELDS})
    failures: Counter = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name, tally in other.tallies.items():
            self.tallies[name].add(tally)
        self.failures.update(other.failures)

    def rate(self, name: str) -> float | None:
        return self.tallies[name].rate

    def summary(self) -> str:
        return ", ".join(f"{name} {self.tallies[name].text()}" for name in FIELDS if self.tallies[name].total)


def _reads(s: Suggestion, e: Expected) -> bool:
    return (s.figure.start < e.end and e.start < s.figure.end and s.figure.value == e.value
            and s.figure.value_to == e.value_to and s.unit == e.unit)


def _overlaps(s: Suggestion, start: int, end: int) -> bool:
    return s.figure.start < end and start < s.figure.end


def _todo(value: str) -> bool:
    return value.startswith("TODO")


def score_text(name: str, text: str, language: str, expected: list[Expected], not_claims=(),
               known=frozenset(), published: date | None = None, given: date | None = None) -> Score:
    """Score the draft of one text against the claims and not-claims expected in it."""
    suggestions = suggest(text, language, known, given)
    claims = [s for s in suggestions if s.claim]
    score = Score(name)
    t = score.tallies
    for e in expected:
        found = next((s for s in claims if _reads(s, e)), None)
        if found is None:
            t["recall"].wrong += 1
            near = [s for s in suggestions if _overlaps(s, e.start, e.end)]
            if not near:
                kind = "not read as a figure"
            elif any(s.figure.value == e.value and s.figure.value_to == e.value_to and s.unit == e.unit for s in near):
                kind = f"drafted as not a claim ({near[0].reason})"
            elif all(s.figure.value != e.value or s.figure.value_to != e.value_to for s in near):
                kind = "wrong value"
            else:
                kind = f"wrong unit ({near[0].unit} for {e.unit})"
            score.failures[f"missed: {kind}"] += 1
            continue
        t["recall"].right += 1
        _field(score, "qualifier", e.qualifier, found.figure.qualifier, e.qualifier == found.figure.qualifier)
        if e.subject == "?":
            _field(score, "subject", "?", found.subject, _todo(found.subject))
        else:
            _field(score, "subject", e.subject, found.subject, same_subject(e.subject, found.subject),
                   todo=_todo(found.subject))
        if e.metric == "?":
            _field(score, "metric", "?", found.metric, _todo(found.metric))
        else:
            _field(score, "metric", e.metric, found.metric, e.metric == found.metric, todo=_todo(found.metric))
        if e.deadline:
            _field(score, "deadline", e.deadline, found.target_date or "none", e.deadline == found.target_date,
                   todo=_todo(found.target_date))
        elif found.target_date:
            score.failures["deadline drafted where the text gives none"] += 1
        if e.attribution:
            _field(score, "attribution", e.attribution, found.attribution or "none", e.attribution == found.attribution)
    for s in claims:
        if any(_reads(s, e) for e in expected):
            t["precision"].right += 1
        else:
            t["precision"].wrong += 1
            if any(_overlaps(s, a, b) for a, b in not_claims):
                score.failures[f"drafted as a claim: a not-claim ({s.unit})"] += 1
            elif any(_overlaps(s, e.start, e.end) for e in expected):
                score.failures["drafted as a claim: wrong value or unit"] += 1
            else:
                score.failures[f"drafted as a claim: not a figure ({s.unit})"] += 1
    for start, end in not_claims:
        drafted = [s for s in claims if _overlaps(s, start, end)]
        t["not-claims"].right += not drafted
        t["not-claims"].wrong += bool(drafted)
    if published is not None:
        from pledges.suggest.deadlines import published_date
        read = published_date(text, language)[0]
        _field(score, "date", published.isoformat(), read.isoformat() if read else "none", read == published)
    return score


def _field(score: Score, name: str, expected: str, drafted: str, right: bool, todo: bool = False) -> None:
    tally = score.tallies[name]
    if right:
        tally.right += 1
    elif todo:
        tally.todo += 1
        score.failures[f"{name}: TODO"] += 1
    else:
        tally.wrong += 1
        score.failures[f"{name}: wrong"] += 1


def seed_scores(root: Path = ROOT) -> list[Score]:
    """One score per annotated seed, against its hand annotation."""
    _, sources = load(root)
    known = known_subjects(root)
    scores = []
    for source in sources:
        text = source.text or ""
        # A claim's quote is wider than its figure: any drafted claim inside the quote may find it.
        expected = [Expected(c.start, c.end, c.value, c.value_to, c.unit, c.subject, c.metric,
                             c.target_date.isoformat() if c.target_date else "", c.qualifier,
                             c.attribution)
                    for c in source.claims if c.start is not None and c.end is not None and c.value is not None]
        not_claims = [(n.start, n.end) for n in source.not_claims if n.start is not None and n.end is not None]
        language = detect_language(text)
        score = score_text(source.source_id, text, language, expected, not_claims, known)
        score.name = f"{source.source_id[:3]} ({language})"
        scores.append(score)
    return scores


def corpus_scores(root: Path, where: str) -> dict[str, Score]:
    """Scores of the evaluation file `where` by language, and "all"."""
    by_language: dict[str, Score] = {language: Score(language) for language in LANGUAGES}
    total = Score("all")
    for text in read_texts(root, where):
        score = score_text(text.name, text.text, text.language, text.figures, text.not_claims, frozenset(),
                           text.date, text.given_date)
        by_language[text.language].add(score)
        total.add(score)
    return {**{k: v for k, v in by_language.items() if any(t.total for t in v.tallies.values())}, "all": total}


def seeds_by_language(scores: list[Score]) -> dict[str, Score]:
    result: dict[str, Score] = {}
    total = Score("all")
    for score in scores:
        language = score.name.split("(")[-1].rstrip(")")
        result.setdefault(language, Score(language)).add(score)
        total.add(score)
    return {**dict(sorted(result.items())), "all": total}


def read_floors(root: Path = ROOT) -> dict[str, dict[str, float]]:
    """{set: {field: floor}} from evaluation/floors.yaml."""
    try:
        document = read_yaml(root, FLOORS, FLOORS_SCHEMA).data  # through the safe file layer: no link followed
    except YamlError as error:
        raise ValueError(f"{FLOORS}:{error.line}: {error.message}") from None
    floors = {}
    for entry in document["floors"]:
        try:
            floors[entry["set"]] = {k: float(v) for k, v in entry.items() if k != "set"}
        except ValueError:
            raise ValueError(f"{FLOORS}: set {entry['set']}: a floor is not a number from 0 to 1") from None
    return floors


def below_floor(name: str, scores: dict[str, Score], floors: dict[str, dict[str, float]]) -> list[str]:
    """Each (language, field) of a set below its floor, as words."""
    return [f"{name} {language} {field_name} {score.rate(field_name):.1%} < floor {floor:.0%}"
            for field_name, floor in floors.get(name, {}).items()
            for language, score in scores.items()
            if score.rate(field_name) is not None and score.rate(field_name) < floor]  # type: ignore[operator]


def report(title: str, scores: dict[str, Score], floors: dict[str, float]) -> list[str]:
    shown = [name for name in FIELDS if any(s.tallies[name].total for s in scores.values())]
    lines = [title, "  " + f"{'':<10}" + "".join(f"{name:>12}" for name in shown)]
    for language, s in scores.items():
        cells = [f"{s.rate(name):.1%}" if s.rate(name) is not None else "-" for name in shown]
        lines.append("  " + f"{language:<10}" + "".join(f"{c:>12}" for c in cells))
    if floors:
        lines.append("  " + f"{'floor':<10}" + "".join(f"{floors.get(name, 0):>12.0%}" for name in shown))
    failures = scores["all"].failures
    lines += [f"  {kind}: {count}" for kind, count in sorted(failures.items())] or ["  no failures"]
    return lines


@command("evaluation")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=("seeds", *SETS), default=("seeds", *SETS),
                        help="the sets to measure (all by default)")
    args = parser.parse_args(argv)
    try:
        return _report(args.sets)
    except BuildFailed as failure:
        print(failure.report().replace("build stopped", "evaluation stopped"), file=sys.stderr)
    except ValueError as error:
        print(f"evaluation stopped: {error}", file=sys.stderr)
    return 1


LABELS = {"seeds": "seeds (hand annotations)", "corpus": "evaluation texts", "holdout": "held-out sentences",
          "holdout2": "new held-out texts"}


def measure(name: str, root: Path = ROOT) -> dict[str, Score]:
    return seeds_by_language(seed_scores(root)) if name == "seeds" else corpus_scores(root, SETS[name])


def _report(sets) -> int:
    floors = read_floors()
    lines, summaries, failing = [], [], []
    for name in sets:
        scores = measure(name)
        where = "annotations/sources" if name == "seeds" else SETS[name]
        lines += report(f"{LABELS[name]} ({where})", scores, floors.get(name, {}))
        summaries.append(f"suggester on the {LABELS[name]}: {scores['all'].summary()}")
        if name in GATED:
            failing += below_floor(name, scores, floors)
    print("\n".join(lines + summaries + [f"below floor: {f}" for f in failing]))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
