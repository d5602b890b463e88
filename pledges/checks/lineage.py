"""Lineage between facts: what was new, what repeats an earlier pledge, what breaks one down.

A fact may say how it relates to another (annotations/facts.yaml, `links:`): `part_of` (a
breakdown), `in_addition_to` (a further amount on top), `repeats` (a re-announcement), `revises`
(a new figure replacing the other's). Each link names the claim whose words state it, so that a
reader can check it like any figure. From the links:

- **in_totals**: whether a pledge is counted when a topic table's column is summed: not a part of
  another (its whole is counted), not a repeat (the earlier one is), not revised by another (the
  new figure is). Summing the rows with in_totals true counts nothing twice.
- **events**: for each announcement event (a scope) and metric, the sum of its pledges' stated
  intervals, and how much of it the sources say was new (stated in addition to something
  earlier), re-announced, or do not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pledges import vocabulary
from pledges.errors import Problem, nearest
from pledges.inputs.annotations import FACTS_FILE
from pledges.inputs.records import Fact, Source
from pledges.reading.intervals import Interval, stated


def check_links(facts: dict[str, Fact], sources: list[Source]) -> list[Problem]:
    """Every link names a relation of the registry, another fact, and a claim of one of the two
    facts; a part is of the same metric as its whole; no fact is part of itself, round a loop."""
    claims = {c.claim_id: c for s in sources for c in s.claims}
    relations = vocabulary.current().names("relations")
    problems = []
    for fact in facts.values():
        for link in fact.links:
            def problem(text, expected="", found="", hint="", link=link, fact=fact):
                problems.append(Problem(f"{FACTS_FILE}:{link.line}", f"fact {fact.id}", text, expected, found, hint))

            if link.relation not in relations:
                problem("unknown relation", f"one of {', '.join(relations)}", repr(link.relation),
                        nearest(link.relation, relations))
            other = facts.get(link.fact)
            if other is None or other.id == fact.id:
                problem("a link names no other fact", "the id of another fact of this file", repr(link.fact),
                        nearest(link.fact, facts))
            elif link.relation == "part_of" and (other.metric, other.kind) != (fact.metric, "pledge"):
                problem("a part of a pledge of another metric", f"a pledge of metric {fact.metric}",
                        f"{other.id} ({other.kind}, {other.metric})")
            claim = claims.get(link.claim)
            if claim is None:
                problem("a link's claim does not exist", "the claim id (source id, a hyphen, claim id) whose quote "
                        "states the relation", repr(link.claim), nearest(link.claim, claims))
            elif claim.fact not in (fact.id, link.fact):
                problem("a link's claim is about neither fact", f"a claim of {fact.id} or {link.fact}",
                        f"{link.claim} (fact {claim.fact})")
    for fact in facts.values():  # no fact is, through its links, part of itself
        seen, at = {fact.id}, fact
        while (up := next((link.fact for link in at.links if link.relation in ("part_of", "repeats", "revises")
                           and link.fact in facts), None)) is not None:
            if up in seen:
                problems.append(Problem(f"{FACTS_FILE}:{fact.line}", f"fact {fact.id}", "links go round a loop",
                                        "each breakdown, repeat or revision pointing to an earlier or larger fact",
                                        " -> ".join([*seen, up])))
                break
            seen.add(up)
            at = facts[up]
    return problems


def in_totals(facts: dict[str, Fact]) -> dict[str, bool]:
    """Whether each fact is counted when its topic table's column is summed (see the docstring)."""
    words = vocabulary.current()
    revised = {link.fact for fact in facts.values() for link in fact.links if link.relation == "revises"}
    return {fact_id: fact.kind == "pledge" and fact_id not in revised
            and all(words.attribute("relations", link.relation, "counted") != "no" for link in fact.links)
            for fact_id, fact in facts.items()}


def links_of(facts: dict[str, Fact]) -> dict[str, list[tuple[str, str, str, str]]]:
    """Every fact's links, both ways, in one pass over the facts: (relation as it reads from this
    fact, other fact, claim, direction), its own links first."""
    found = {fact_id: [(link.relation, link.fact, link.claim, "out") for link in fact.links]
             for fact_id, fact in facts.items()}
    for other in facts.values():
        for link in other.links:
            if link.fact in found:
                found[link.fact].append((link.relation, other.id, link.claim, "in"))
    return found


@dataclass(frozen=True)
class Event:
    """One announcement event's sum for one metric: a row of data/events.csv."""

    scope: str
    metric: str
    unit: str
    pledges: tuple[str, ...]  # the pledges counted in its total
    total: Interval
    new: Interval | None  # the pledges the sources say are in addition to an earlier one; None when none
    repeated: tuple[str, ...]  # pledges that re-announce an earlier one (not in the total)
    unsaid: tuple[str, ...]  # pledges whose sources say neither that they are new nor that they repeat


def _number(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def events(rows: list[dict]) -> list[Event]:
    """Each scope's sum by metric, from the rows of the topic tables as published (cells as text):
    money in euros (amount_eur_low/high), other metrics in their unit; the stated intervals of the
    pledges counted in totals (in_totals), so an open end stays open ("more than")."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    money = vocabulary.current().currencies
    for row in rows:
        unit = "EUR" if row["unit"] in money else row["unit"]
        groups.setdefault((row["scope"], row["metric"], unit), []).append(row)
    found = []
    for (scope, metric, unit), members in sorted(groups.items()):
        total = Interval.point(Decimal(0))
        new: Interval | None = None
        counted, repeated, unsaid = [], [], []
        for row in sorted(members, key=lambda r: r["fact_id"]):
            relations = {part.split(" ")[0] for part in row["links"].split("; ") if part}
            if "repeats" in relations:
                repeated.append(row["fact_id"])
            if row["in_totals"] != "true":
                continue
            low, high = (row["amount_eur_low"], row["amount_eur_high"]) if unit == "EUR" else \
                (row["stated_low"], row["stated_high"])
            ends = stated(Decimal(1), row["qualifier"])  # which ends the hedge includes ("more than": not its figure)
            span = Interval(_number(low), _number(high), ends.low_included, ends.high_included)
            total = total + span
            counted.append(row["fact_id"])
            if "in_addition_to" in relations:
                new = span if new is None else new + span
            else:
                unsaid.append(row["fact_id"])
        if counted or repeated:
            found.append(Event(scope, metric, unit, tuple(counted), total, new, tuple(repeated), tuple(unsaid)))
    return found
