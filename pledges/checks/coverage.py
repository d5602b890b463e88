"""Coverage: every figure a seed states is in a claim's quote or listed as not a claim."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from pledges.errors import Problem
from pledges.inputs.quotes import occurrences
from pledges.inputs.records import Source
from pledges.inputs.seeds import SEEDS_DIR
from pledges.reading.numbers import mentions


class Spans:
    """Spans of a text (start, end), asked which of them hold a figure's span: in log time
    whether any does, so that the coverage of a seed is not every figure against every quote."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.order = sorted(range(len(spans)), key=lambda i: spans[i])
        self.starts = [spans[i][0] for i in self.order]
        self.reach = list(accumulate((spans[i][1] for i in self.order), max))  # furthest end so far
        self.spans = spans

    def any_holds(self, start: int, end: int) -> bool:
        n = bisect_right(self.starts, start)
        return n > 0 and self.reach[n - 1] >= end

    def first_holding(self, start: int, end: int) -> int | None:
        """The index of a span holding [start, end) (the one starting nearest before it), or None."""
        if not self.any_holds(start, end):
            return None
        at = bisect_right(self.starts, start) - 1
        while self.spans[self.order[at]][1] < end:  # the nearest span starting before it that holds it
            at -= 1
        return self.order[at]


def check_coverage(source: Source, problems: list[Problem]) -> dict[str, int]:
    """Every figure-like mention of the seed must be in a claim's quote or listed as not a claim."""
    text = source.text or ""
    quoted = [(c.start, c.end) for c in source.claims if c.start is not None and c.end is not None]
    listed = []
    for entry in source.not_claims:
        if entry.start is None:
            continue
        if text[entry.start:entry.end] != entry.text:
            starts = occurrences(text, entry.text)
            problems.append(Problem(f"{source.file}:{entry.line}", "not_claims entry",
                                    "text not found verbatim at its start",
                                    repr(entry.text),
                                    f"{source.seed}[{entry.start}:{entry.end}] is {text[entry.start:entry.end]!r}",
                                    f"it occurs at start: {', '.join(map(str, starts))}" if starts
                                    else "copy it from the seed exactly"))
            continue
        listed.append(entry)
    counts = {"figures": 0, "in claims": 0, "not claims": 0}
    used = set()
    in_quotes = Spans(quoted)
    in_listed = Spans([(e.start, e.end) for e in listed if e.start is not None and e.end is not None])
    breaks = [m.start() for m in re.finditer("\n", text)]  # a line number is a search, not a count
    for start, end in mentions(text, source.language):
        counts["figures"] += 1
        if in_quotes.any_holds(start, end):
            counts["in claims"] += 1
            continue
        index = in_listed.first_holding(start, end)
        if index is not None:
            counts["not claims"] += 1
            used.add(listed[index].line)
            continue
        line = bisect_right(breaks, start) + 1
        problems.append(Problem(
            f"{SEEDS_DIR}/{source.seed}:{line}", f"figure {text[start:end]!r}",
            "figure is in no claim's quote and not listed under not_claims",
            "a claim whose quote contains it, or a not_claims entry saying why it is not a claim",
            f"{text[start:end]!r} at offset {start}: ...{text[max(0, start - 40):end + 40]}...".replace("\n", " "),
            f"in {source.file}, add a claim, or under not_claims: - text: {text[start:end]!r}, start: {start}, reason: "
            f"..."))
    for entry in listed:
        if entry.line not in used:
            problems.append(Problem(f"{source.file}:{entry.line}", "not_claims entry", "entry covers no figure",
                                    "words containing a figure that no claim quotes", repr(entry.text),
                                    "remove it, or it duplicates a claim's quote"))
    return counts
