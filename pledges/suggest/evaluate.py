"""Measure the suggester: recall and precision on the seeds and on the evaluation sentences.

    python -m pledges.suggest.evaluate [--holdout]

A figure counts as found when a suggestion reads a figure overlapping it with the same value
(and upper end, for a range) and unit. Recall is figures found over figures there; precision is
suggestions that find a figure over all suggestions. On the seeds the figures are the hand
annotations; on evaluation/corpus.yaml (and evaluation/holdout.yaml, sentences kept apart from the
rules until they were done) they are the figures written under each sentence. Misses and false
drafts are counted by kind, so that a drop says what to look at.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pledges import ROOT
from pledges.errors import BuildFailed, command
from pledges.inputs.annotations import load
from pledges.inputs.yamlfile import Map, Seq, Str, YamlError
from pledges.inputs.yamlfile import load as load_yaml
from pledges.suggest.draft import Suggestion, detect_language, known_subjects, suggest

CORPUS = "evaluation/corpus.yaml"
HOLDOUT = "evaluation/holdout.yaml"
FIGURE = re.compile(r"(?P<words>.+?) = (?P<value>[0-9.]+)(?:-(?P<value_to>[0-9.]+))? (?P<unit>\S+)")
SENTENCES = Map({"sentences": Seq(Map({"lang": Str, "text": Str}, {"figures": Seq(Str)}))})
LANGUAGES = ("en", "fr", "it")


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    value: Decimal
    value_to: Decimal | None
    unit: str


@dataclass
class Score:
    name: str
    figures: int = 0
    found: int = 0
    suggestions: int = 0
    correct: int = 0  # suggestions that find a figure
    failures: Counter = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        self.figures += other.figures
        self.found += other.found
        self.suggestions += other.suggestions
        self.correct += other.correct
        self.failures.update(other.failures)

    @property
    def recall(self) -> float:
        return self.found / self.figures if self.figures else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.suggestions if self.suggestions else 1.0

    def summary(self) -> str:
        return (f"recall {self.recall:.1%} ({self.found}/{self.figures}), "
                f"precision {self.precision:.1%} ({self.correct}/{self.suggestions})")


def _matches(s: Suggestion, e: Expected) -> bool:
    return (s.figure.start < e.end and e.start < s.figure.end and s.figure.value == e.value
            and s.figure.value_to == e.value_to and s.unit == e.unit)


def score_text(name: str, text: str, language: str, expected: list[Expected], known=frozenset()) -> Score:
    """Score the suggestions for one text against the figures expected in it."""
    suggestions = suggest(text, language, known)
    score = Score(name, figures=len(expected), suggestions=len(suggestions))
    for e in expected:
        if any(_matches(s, e) for s in suggestions):
            score.found += 1
            continue
        near = [s for s in suggestions if s.figure.start < e.end and e.start < s.figure.end]
        if not near:
            score.failures["missed: not read as a figure"] += 1
        elif all(s.figure.value != e.value or s.figure.value_to != e.value_to for s in near):
            score.failures["missed: wrong value"] += 1
        else:
            score.failures["missed: wrong unit"] += 1
    for s in suggestions:
        if any(_matches(s, e) for e in expected):
            score.correct += 1
        elif not any(s.figure.start < e.end and e.start < s.figure.end for e in expected):
            score.failures["drafted: not a figure"] += 1
    return score


def seed_scores(root: Path = ROOT) -> list[Score]:
    """One score per annotated seed, against its hand annotation."""
    _, sources = load(root)
    known = known_subjects(root)
    scores = []
    for source in sources:
        expected = [Expected(c.start, c.end, c.value, c.value_to, c.unit) for c in source.claims]
        # A claim's quote is wider than its figure: any suggestion inside the quote may find it.
        scores.append(score_text(source.source_id, source.text, detect_language(source.text), expected, known))
    return scores


def read_sentences(path: Path) -> list[tuple[str, str, list[Expected]]]:
    """(language, text, expected figures) of each sentence of an evaluation file."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"), SENTENCES).data
    except YamlError as error:
        raise ValueError(f"evaluation/{path.name}:{error.line}: {error.message}") from None
    result = []
    for entry in document["sentences"]:
        if entry["lang"] not in LANGUAGES:
            raise ValueError(f"evaluation/{path.name}: lang {entry['lang']!r} is not one of {', '.join(LANGUAGES)}")
        text, expected = entry["text"], []
        for written in entry.get("figures", []):
            match = FIGURE.fullmatch(written)
            where = match and re.search(rf"(?<![\w.,]){re.escape(match['words'])}", text)
            if where is None:
                raise ValueError(f"evaluation/{path.name}: {written!r} is not '<words in the sentence> = <value> <unit>'"
                                 f" (in the sentence {text[:60]!r})")
            start = where.start()
            expected.append(Expected(start, start + len(match["words"]), Decimal(match["value"]),
                                     Decimal(match["value_to"]) if match["value_to"] else None, match["unit"]))
        result.append((entry["lang"], text, expected))
    return result


def corpus_scores(path: Path) -> dict[str, Score]:
    """Scores of an evaluation file by language, and "all"."""
    by_language: dict[str, Score] = {}
    total = Score("all")
    for language, text, expected in read_sentences(path):
        score = score_text(language, text, language, expected)
        by_language.setdefault(language, Score(language)).add(score)
        total.add(score)
    return {**dict(sorted(by_language.items())), "all": total}


def total(scores) -> Score:
    result = Score("all")
    for score in scores:
        result.add(score)
    return result


def report(title: str, scores: list[Score]) -> list[str]:
    lines = [title, f"  {'':<24} {'figures':>7} {'found':>6} {'drafts':>6} {'right':>6} {'recall':>7} {'precision':>9}"]
    for s in scores:
        lines.append(f"  {s.name:<24} {s.figures:>7} {s.found:>6} {s.suggestions:>6} {s.correct:>6} "
                     f"{s.recall:>7.1%} {s.precision:>9.1%}")
    failures = scores[-1].failures
    lines += [f"  {kind}: {count}" for kind, count in sorted(failures.items())] or ["  no failures"]
    return lines


@command("evaluation")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    try:
        return _report()
    except BuildFailed as failure:
        print(failure.report().replace("build stopped", "evaluation stopped"), file=sys.stderr)
    except ValueError as error:
        print(f"evaluation stopped: {error}", file=sys.stderr)
    return 1


def _report() -> int:
    seeds = seed_scores()
    lines = report("seeds (hand annotations)", [*seeds, total(seeds)])
    summaries = [f"suggester on the seeds: {total(seeds).summary()}"]
    for label, path in (("evaluation sentences", CORPUS), ("held-out sentences", HOLDOUT)):
        scores = corpus_scores(ROOT / path)
        lines += report(f"{label} ({path})", list(scores.values()))
        summaries.append(f"suggester on the {label}: {scores['all'].summary()}")
    print("\n".join(lines + summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
