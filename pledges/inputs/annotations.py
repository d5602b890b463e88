"""Load the hand-written annotations, and the seed texts they annotate, as typed records.

YAML is read by pledges.inputs.yamlfile against a schema: every scalar stays a string until this module
converts it, so `country: NO` is Norway rather than False, `012` or `1e9` in a number field is
refused rather than read as 10 or left as text, a duplicated key is an error rather than a silent
overwrite, and a misspelt key is an error naming the nearest valid key. Line numbers are the
parser's own.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import date as Day  # the type, where _Reader.date hides the name
from decimal import Decimal
from pathlib import Path

import edtf
import pycountry

from pledges import files
from pledges.errors import BuildFailed, Problem
from pledges.inputs.quotes import PLAIN_INTEGER, occurrences_of, place
from pledges.inputs.records import Claim, Correction, Fact, Link, NotClaim, Source
from pledges.inputs.seeds import SEEDS_DIR, read_seed
from pledges.inputs.yamlfile import CommaSeparated, Map, Node, Seq, Str, YamlError
from pledges.inputs.yamlfile import read as read_yaml

FACTS_FILE = "annotations/facts.yaml"
REGIONS_FILE = "annotations/regions.yaml"
SOURCES_DIR = "annotations/sources"

FACT_SCHEMA = Map(
    {"id": Str, "label": Str, "subject": Str, "metric": Str, "unit": Str, "scope": Str, "announced_date_basis": Str,
     "announced_evidence": Str},
    {"country": Str, "regions": CommaSeparated, "recipient": Str, "kind": Str, "announced": Str,
     "sum_of": CommaSeparated,
     "links": Seq(Map({"relation": Str, "fact": Str, "claim": Str}))})
CLAIM_SCHEMA = Map(
    {"id": Str, "fact": Str, "quote": Str, "subject": Str, "metric": Str, "unit": Str, "qualifier": Str},
    {"value": Str, "start": Str, "end": Str, "occurrence": Str, "value_to": Str, "target": Str, "target_date": Str,
     "inferred": Str, "note": Str, "attribution": Str, "progress": Str})
SOURCE_SCHEMA = Map(
    {"seed": Str, "sha256": Str, "publisher": Str, "title": Str, "language": Str, "published": Str, "date_basis": Str,
     "date_evidence": Str, "author": Str, "url": Str, "claims": Seq(CLAIM_SCHEMA)},
    {"notes": Str, "not_claims": Seq(Map({"text": Str, "reason": Str}, {"start": Str, "occurrence": Str}))})
FACTS_SCHEMA = Map({"facts": Seq(FACT_SCHEMA)})
CORRECTIONS_FILE = "annotations/corrections.yaml"
CORRECTIONS_SCHEMA = Map({"corrections": Seq(Map({"id": Str, "date": Str, "target": Str, "field": Str, "was": Str,
                                                  "now": Str, "why": Str, "by": Str}))})
REGIONS_SCHEMA = Map({"regions": Seq(Map({"code": Str, "name": Str, "reason": Str}))})

PLAIN_NUMBER = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Lines:
    """Line numbers of a parsed document's list items, and of keys within them (the parser's)."""

    def __init__(self, doc: Node | None):
        self.doc = doc

    def item(self, at: tuple[str, int]) -> int:
        return self.doc[at[0]][at[1]].line if self.doc is not None else 0

    def key(self, key: str, at: tuple[str, int] | None = None) -> int:
        """The line of `key` in list item `at` (list name, index), or at the top level when None."""
        if self.doc is None:
            return 0
        node = self.doc[at[0]][at[1]] if at else self.doc
        return node.key_line(key)


class _Reader:
    """Converts parsed nodes to typed values, recording a Problem for each bad one."""

    def __init__(self, problems: list[Problem], file: str, lines: _Lines):
        self.problems, self.file, self.lines = problems, file, lines
        self.at: tuple[str, int] | None = None  # the list item being read; None for top-level keys

    def problem(self, line: int, item: str, text: str, expected: str = "", found: str = "", hint: str = ""):
        self.problems.append(Problem(f"{self.file}:{line}", item, text, expected, found, hint))

    def number(self, node, item: str, key: str) -> Decimal | None:
        if key not in node:
            return None
        text = node[key].data.strip()
        if len(text) <= 30 and PLAIN_NUMBER.fullmatch(text):
            return Decimal(text)
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a plain number",
                     "digits with an optional decimal point, e.g. 4000000000 or 1.5",
                     repr(text), "write the number in full: 4000000000, not 4bn, 4e9 or 4,000,000,000")
        return None

    def offset(self, node, item: str, key: str) -> int | None:
        if key not in node:
            return None
        text = node[key].data.strip()
        if len(text) <= 12 and PLAIN_INTEGER.fullmatch(text):
            return int(text)
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a character offset",
                     "a whole number without leading zeros, at most 12 digits, e.g. 1234", repr(text[:40]))
        return None

    def date(self, node, item: str, key: str) -> date | None:
        if key not in node or not node[key].data.strip():
            return None
        text = node[key].data.strip()
        try:
            if ISO_DATE.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a date", "an ISO date YYYY-MM-DD", repr(text))
        return None

    def date_range(self, node, item: str, key: str) -> tuple[Day | None, Day | None]:
        """A day ("2024-05-13") or the days a text allows, as an EDTF interval ("2024-05-12/2024-05-13")."""
        if key not in node or "/" not in node[key].data:
            day = self.date(node, item, key)
            return day, day
        text = node[key].data.strip()
        ends = text.split("/")
        if len(ends) == 2 and all(ISO_DATE.fullmatch(end) for end in ends):  # never an open interval ("..")
            try:
                parsed = edtf.parse_edtf(text)
                earliest, latest = (edtf.struct_time_to_date(t) for t in (parsed.lower_strict(), parsed.upper_strict()))
                if isinstance(parsed, edtf.Interval) and earliest < latest:
                    return earliest, latest
            except (edtf.EDTFParseException, ValueError, AttributeError, OverflowError, TypeError):
                pass
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a date or an interval of days",
                     "an ISO date YYYY-MM-DD, or earliest/latest as an EDTF interval of two days, "
                     "2024-05-12/2024-05-13 (an open end, '..', is not accepted)",
                     repr(text))
        return None, None


def _text(node, key: str) -> str:
    return node[key].data.strip() if key in node else ""


def _parse_yaml(root: Path, rel: str, schema, problems: list[Problem]) -> tuple[Node | None, _Lines]:
    try:
        doc = read_yaml(root, rel, schema)
        return doc, _Lines(doc)
    except YamlError as error:
        problems.append(Problem(f"{rel}:{error.line}", "", error.message, hint=error.hint))
    except files.Unsafe as refused:
        problems.append(Problem(refused.path, "", f"refused: {refused.why}", "a plain file inside the package",
                                hint="restore the file from git, or remove the link"))
    return None, _Lines(None)


def load_facts(root: Path, problems: list[Problem]) -> dict[str, Fact]:
    doc, lines = _parse_yaml(root, FACTS_FILE, FACTS_SCHEMA, problems)
    facts: dict[str, Fact] = {}
    if doc is None:
        return facts
    read = _Reader(problems, FACTS_FILE, lines)
    for index, node in enumerate(doc["facts"]):
        read.at = ("facts", index)
        fact = Fact(
            id=_text(node, "id"), label=_text(node, "label"), subject=_text(node, "subject"),
            metric=_text(node, "metric"), unit=_text(node, "unit"), country=_text(node, "country"),
            regions=tuple(r.strip() for r in node.data.get("regions", [])),
            recipient=_text(node, "recipient"), kind=_text(node, "kind") or ("total" if "sum_of" in node else "pledge"),
            scope=_text(node, "scope"), announced=read.date(node, f"fact {_text(node, 'id')}", "announced"),
            announced_date_basis=_text(node, "announced_date_basis"),
            announced_evidence=_text(node, "announced_evidence"),
            sum_of=tuple(f.strip() for f in node.data.get("sum_of", [])), line=lines.item(read.at),
            links=tuple(Link(relation=_text(link, "relation"), fact=_text(link, "fact"), claim=_text(link, "claim"),
                             line=link.line) for link in node.get("links", [])),
        )
        if fact.id in facts:
            read.problem(fact.line, f"fact {fact.id}", "duplicate fact id",
                         "each fact id once", f"already defined at line {facts[fact.id].line}")
            continue
        facts[fact.id] = fact
    return facts


def load_corrections(root: Path, problems: list[Problem]) -> list[Correction]:
    """The corrections of annotations/corrections.yaml (none when there is no such file)."""
    if files.kind(root, CORRECTIONS_FILE) is None:
        return []
    doc, lines = _parse_yaml(root, CORRECTIONS_FILE, CORRECTIONS_SCHEMA, problems)
    read = _Reader(problems, CORRECTIONS_FILE, lines)
    found = []
    for index, node in enumerate([] if doc is None else doc["corrections"]):
        read.at = ("corrections", index)
        found.append(Correction(id=_text(node, "id"), date=read.date(node, f"correction {_text(node, 'id')}", "date"),
                                target=_text(node, "target"), field=_text(node, "field"), was=node["was"].data,
                                now=node["now"].data, why=_text(node, "why"), by=_text(node, "by"),
                                line=lines.item(read.at)))
    return found


def load_region_names(root: Path, problems: list[Problem]) -> dict[str, str]:
    """English names of ISO 3166-2 regions where the ISO name is not the English one; every code
    must be an ISO 3166-2 code as ISO writes it (pycountry), so that no name drops out unseen."""
    if files.kind(root, REGIONS_FILE) is None:
        return {}
    doc, lines = _parse_yaml(root, REGIONS_FILE, REGIONS_SCHEMA, problems)
    names: dict[str, str] = {}
    for index, node in enumerate([] if doc is None else doc["regions"]):
        code = node["code"].data.strip()
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None or subdivision.code != code:
            problems.append(Problem(f"{REGIONS_FILE}:{lines.item(('regions', index))}", f"region {code}",
                                    "not an ISO 3166-2 code as ISO writes it", "a code such as FR-IDF", repr(code),
                                    f"write {subdivision.code}" if subdivision else ""))
        elif code in names:
            problems.append(Problem(f"{REGIONS_FILE}:{lines.item(('regions', index))}", f"region {code}",
                                    "region listed twice", "each code once", repr(code)))
        names[code] = node["name"].data.strip()
    return names


def load_source(root: Path, rel: str, problems: list[Problem]) -> Source | None:
    """The source annotated in `rel` (annotations/sources/<seed stem>.yaml), its seed read and
    checked, its quotes placed; None, with the problems, when it cannot be read."""
    doc, lines = _parse_yaml(root, rel, SOURCE_SCHEMA, problems)
    if doc is None:
        return None
    read = _Reader(problems, rel, lines)
    source_id = Path(rel).stem
    claims = []
    read.at = None
    for index, node in enumerate(doc["claims"]):
        read.at = ("claims", index)
        item = f"claim {_text(node, 'id')}"
        claims.append(Claim(
            id=_text(node, "id"), source_id=source_id, fact=_text(node, "fact"),
            quote=node["quote"].data, start=read.offset(node, item, "start"),
            end=read.offset(node, item, "end"), subject=_text(node, "subject"),
            metric=_text(node, "metric"), value=read.number(node, item, "value"),
            value_to=read.number(node, item, "value_to"),
            unit=_text(node, "unit"), qualifier=_text(node, "qualifier"),
            target=_text(node, "target"), target_date=read.date(node, item, "target_date"),
            inferred=_text(node, "inferred"), note=_text(node, "note"), line=lines.item(read.at),
            attribution=_text(node, "attribution") or "reporter", progress=_text(node, "progress"),
        ))
    not_claims = []
    for index, node in enumerate(doc.get("not_claims", [])):
        read.at = ("not_claims", index)
        not_claims.append(NotClaim(text=node["text"].data, start=read.offset(node, "not_claims entry", "start"),
                                   reason=_text(node, "reason"), line=lines.item(read.at)))
    read.at = None
    seed = _text(doc, "seed")
    sha256 = _text(doc, "sha256")
    text = read_seed(root, seed, rel, sha256, problems)
    if text is not None:
        found = occurrences_of(text, [c.quote for c in claims] + [n.text for n in not_claims])
        claims = [place(found, c, read, f"claim {c.id}", c.quote, ("claims", i), doc["claims"][i])
                  for i, c in enumerate(claims)]
        not_claims = [place(found, n, read, "not_claims entry", n.text, ("not_claims", i), doc["not_claims"][i])
                      for i, n in enumerate(not_claims)]
        read.at = None
    if Path(seed).stem != source_id:
        # Naming each annotation after its seed is also what keeps it to one annotation per seed.
        expected = f"{SOURCES_DIR}/{Path(seed).stem}.yaml"
        hint = (f"{expected} already annotates {seed}: keep one annotation per seed"
                if files.kind(root, expected) is not None else f"rename the file to {expected}")
        read.problem(lines.key("seed"), "seed", "annotation file is not named after its seed",
                     f"{expected} for seed {seed}", rel, hint)
    published, latest = read.date_range(doc, "source", "published")
    return Source(
        source_id=source_id, file=rel, seed=seed, sha256=sha256,
        publisher=_text(doc, "publisher"), title=_text(doc, "title"), language=_text(doc, "language"),
        published=published if published == latest else None, published_earliest=published,
        published_latest=latest, date_basis=_text(doc, "date_basis"),
        date_evidence=_text(doc, "date_evidence"), author=_text(doc, "author"), url=_text(doc, "url"),
        notes=_text(doc, "notes"), claims=tuple(claims), not_claims=tuple(not_claims),
        text=text,
    )


def load(root: Path, cache=None) -> tuple[dict[str, Fact], list[Source]]:
    """All facts and sources under `root`; raises BuildFailed listing every problem found.

    With a cache (pledges.cache.SourceCache), a source whose entry is there is taken from it as it
    was loaded and checked before; the cache's `used` entries say which."""
    problems: list[Problem] = []
    missing = [part for part in (FACTS_FILE, SOURCES_DIR) if files.kind(root, part) is None]
    if missing:
        raise BuildFailed([Problem(part, "", f"{part} does not exist",
                                   "annotations/facts.yaml and annotations/sources/ "
                                   "(one <seed stem>.yaml per seed)", "nothing there",
                                   "run the command in the package's folder, or restore it from git")
                           for part in missing])
    try:
        names = files.listing(root, "annotations", allow_folders=True)
        annotated = files.listing(root, SOURCES_DIR)
    except files.Unsafe as refused:
        raise BuildFailed([Problem(refused.path, "", f"refused: {refused.why}", "plain files and folders",
                                   hint="remove the link or special file; annotations are plain YAML files")]) from None
    facts = cache.facts() if cache is not None else None
    if facts is None:
        facts = load_facts(root, problems)  # the build keeps them in the cache once they pass its checks
    for stray in names:
        if stray not in ("facts.yaml", "regions.yaml", "corrections.yaml", "sources"):
            problems.append(Problem(f"annotations/{stray}", "", "unexpected file in annotations/",
                                    "only annotations/facts.yaml, regions.yaml and sources/<seed stem>.yaml", stray,
                                    "move or delete it"))
        elif files.kind(root, f"annotations/{stray}") != ("a folder" if stray == "sources" else "a regular file"):
            problems.append(Problem(f"annotations/{stray}", "", "not what annotations/ holds under that name",
                                    "facts.yaml and regions.yaml are files, sources/ a folder",
                                    files.kind(root, f"annotations/{stray}") or ""))
    sources = []
    for name in annotated:
        rel = f"{SOURCES_DIR}/{name}"
        if not name.endswith(".yaml"):
            problems.append(Problem(rel, "", "unexpected file in annotations/sources/",
                                    "one <seed stem>.yaml per seed", name,
                                    "rename it to <seed stem>.yaml, or move it out"))
            continue
        entry = cache.source(cache.key(rel, f"{SEEDS_DIR}/{name[:-5]}.txt")) if cache is not None else None
        source = entry["source"] if entry is not None else load_source(root, rel, problems)
        if source is not None:
            sources.append(source)
    if problems:
        raise BuildFailed(problems)
    return facts, sources
