"""Corrections as data (annotations/corrections.yaml): what was wrong, what replaces it, why, when
and by whom (the annotators, or the publisher who corrected the article itself), published as
data/corrections.csv, listed by `make diff` and required in the release notes.

Each correction is also a guard, after OWID's `expect:`: the corrected input must still say what
the correction says it now says. When it changes again, the build stops and names the correction,
so that a correction is reviewed, never silently overwritten.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

from pledges import vocabulary
from pledges.checks.annotations import check_formula_safe
from pledges.errors import Problem
from pledges.inputs.annotations import CORRECTIONS_FILE
from pledges.inputs.records import Correction, Fact, Source
from pledges.tables.schemas import field as schema_field


def _id() -> re.Pattern:
    """A correction id's pattern, from the corrections Table Schema of the package being built (read
    when a correction is checked, never on import)."""
    return re.compile(schema_field("corrections", "correction_id")["constraints"]["pattern"])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def current(target: str, field: str, facts: dict[str, Fact], sources: list[Source]) -> tuple[bool, str]:
    """(whether the target exists, the value its field holds now, as written in the annotation)."""
    kind, _, ident = target.partition(" ")
    record: object | None = None
    if kind == "fact":
        record = facts.get(ident)
    elif kind == "source":
        record = next((s for s in sources if s.source_id == ident), None)
    elif kind == "claim":
        record = next((c for s in sources for c in s.claims if c.claim_id == ident), None)
    if record is None or field not in {f.name for f in dataclasses.fields(record)}:  # type: ignore[arg-type]
        return False, ""  # a field the annotation writes, never a property worked out from them
    return True, _cell(getattr(record, field))


def check_corrections(corrections: list[Correction], facts: dict[str, Fact], sources: list[Source]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    pattern = _id()
    for fix in corrections:
        def problem(text, expected="", found="", hint="", fix=fix):
            problems.append(Problem(f"{CORRECTIONS_FILE}:{fix.line}", f"correction {fix.id}", text, expected, found,
                                    hint))

        if not pattern.fullmatch(fix.id) or fix.id in seen:
            problem("correction id is not k followed by digits, once", "an id such as k001, used once", repr(fix.id))
        seen.add(fix.id)
        correctors = vocabulary.current().names("correctors")
        if fix.by not in correctors:
            problem("unknown `by`", "one of " + ", ".join(correctors), repr(fix.by))
        check_formula_safe({"was": fix.was, "now": fix.now, "why": fix.why}, problem)
        if fix.date is None:
            problem("date missing", "the ISO date of the correction", "nothing")
        if not fix.why:
            problem("why is empty", "the reason, naming the evidence", "nothing")
        exists, now = current(fix.target, fix.field, facts, sources)
        if not exists:
            problem("the corrected input does not exist", "`target: claim <id>`, `fact <id>` or `source <id>` and "
                    "one of its fields", f"{fix.target} {fix.field}")
        elif now != fix.now:
            problem("a corrected input changed again", f"{fix.field} = {fix.now!r}, as correction {fix.id} set it "
                    f"on {fix.date}", repr(now), "review the correction: update `now:` (and say why) in "
                    f"{CORRECTIONS_FILE}, or add a new correction")
    return problems


def correction_rows(corrections: list[Correction]) -> list[dict]:
    return [{"correction_id": fix.id, "date": fix.date, "target": fix.target, "field": fix.field, "was": fix.was,
             "now": fix.now, "why": fix.why, "by": fix.by} for fix in corrections]
