"""Measure the suggester against the hand annotations of the seeds: recall and precision.

    python -m pledges.evaluate

A hand-annotated claim counts as recovered when a suggestion reads a figure inside the claim's
quote with the same value and unit. Recall is recovered claims over hand claims; precision is
suggestions that recover a claim over all suggestions. Metric and subject guesses are reported
for the recovered claims.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pledges.annotations import load
from pledges.suggest import detect_language, suggest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Score:
    seed: str
    claims: int
    recovered: int
    suggestions: int
    correct: int  # suggestions that recover a claim
    metric_right: int
    subject_right: int


def score(root: Path = ROOT) -> list[Score]:
    _, sources = load(root)
    scores = []
    for source in sources:
        suggestions = suggest(source.text, detect_language(source.text))
        matched = {}
        for claim in source.claims:
            match = next((s for s in suggestions if claim.start <= s.figure.start and s.figure.end <= claim.end
                          and s.figure.value == claim.value and s.unit == claim.unit), None)
            if match:
                matched[claim] = match
        scores.append(Score(
            source.source_id, len(source.claims), len(matched), len(suggestions),
            len({id(s) for s in matched.values()}),
            sum(s.metric == c.metric for c, s in matched.items()),
            sum(s.subject == c.subject for c, s in matched.items())))
    return scores


def totals(scores: list[Score]) -> Score:
    return Score("all", *(sum(getattr(s, f) for s in scores) for f in
                          ("claims", "recovered", "suggestions", "correct", "metric_right", "subject_right")))


def summary(scores: list[Score]) -> str:
    t = totals(scores)
    return (f"recall {t.recovered / t.claims:.1%} ({t.recovered}/{t.claims}), "
            f"precision {t.correct / t.suggestions:.1%} ({t.correct}/{t.suggestions})")


def main() -> int:
    scores = score()
    print(f"{'seed':<22} {'claims':>6} {'found':>6} {'suggested':>9} {'right':>6} {'metric ok':>9} {'subject ok':>10}")
    for s in [*scores, totals(scores)]:
        print(f"{s.seed:<22} {s.claims:>6} {s.recovered:>6} {s.suggestions:>9} {s.correct:>6} "
              f"{s.metric_right:>9} {s.subject_right:>10}")
    print("suggester: " + summary(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
