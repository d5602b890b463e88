"""Load the hand-written annotations, and the seed texts they annotate, as typed records.

YAML is read by pledges.yamlfile against a schema: every scalar stays a string until this module
converts it, so `country: NO` is Norway rather than False, `012` or `1e9` in a number field is
refused rather than read as 10 or left as text, a duplicated key is an error rather than a silent
overwrite, and a misspelt key is an error naming the nearest valid key. Line numbers are the
parser's own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import ahocorasick
import edtf

from pledges.errors import BuildFailed, Problem
from pledges.yamlfile import CommaSeparated, Map, Node, Seq, Str, YamlError, load as load_yaml

FACTS_FILE = "annotations/facts.yaml"
REGIONS_FILE = "annotations/regions.yaml"
SOURCES_DIR = "annotations/sources"
SEEDS_DIR = "seeds"

FACT_SCHEMA = Map(
    {"id": Str, "label": Str, "subject": Str, "metric": Str, "unit": Str, "scope": Str, "announced_basis": Str},
    {"country": Str, "regions": CommaSeparated, "recipient": Str, "kind": Str, "announced": Str, "sum_of": CommaSeparated})
CLAIM_SCHEMA = Map(
    {"id": Str, "fact": Str, "quote": Str, "subject": Str, "metric": Str, "value": Str, "unit": Str, "qualifier": Str},
    {"start": Str, "end": Str, "occurrence": Str, "value_to": Str, "target": Str, "target_date": Str, "inferred": Str,
     "note": Str})
SOURCE_SCHEMA = Map(
    {"seed": Str, "sha256": Str, "publisher": Str, "title": Str, "language": Str, "published": Str, "date_basis": Str,
     "date_evidence": Str, "author": Str, "url": Str, "claims": Seq(CLAIM_SCHEMA)},
    {"notes": Str, "not_claims": Seq(Map({"text": Str, "reason": Str}, {"start": Str, "occurrence": Str}))})
FACTS_SCHEMA = Map({"facts": Seq(FACT_SCHEMA)})
REGIONS_SCHEMA = Map({"regions": Seq(Map({"code": Str, "name": Str, "reason": Str}))})

PLAIN_NUMBER = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
PLAIN_INTEGER = re.compile(r"0|[1-9][0-9]*")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    subject: str
    metric: str
    unit: str
    country: str
    regions: tuple[str, ...]
    recipient: str
    announced: date | None  # None when no source gives the date the company announced it
    announced_basis: str
    sum_of: tuple[str, ...]
    line: int
    kind: str = "pledge"  # pledge, statement (a figure that already is, such as a headcount) or total
    scope: str = ""  # choose_france_2024, or related (another country, an earlier deal)


@dataclass(frozen=True)
class Claim:
    id: str  # as written in the annotation, unique within its source
    source_id: str
    fact: str
    quote: str
    start: int | None
    end: int | None
    subject: str
    metric: str
    value: Decimal | None
    unit: str
    qualifier: str
    target: str
    target_date: date | None
    inferred: str
    note: str
    line: int
    value_to: Decimal | None = None  # the upper end of a range the quote states ("1.2-1.5bn")

    @property
    def claim_id(self) -> str:
        return f"{self.source_id}-{self.id}"


@dataclass(frozen=True)
class NotClaim:
    """Words of a seed that look like a figure but state no claim, with the annotator's reason."""

    text: str
    start: int | None
    reason: str
    line: int

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + len(self.text)


@dataclass(frozen=True)
class Source:
    source_id: str
    file: str  # the annotation file, relative to the package root
    seed: str
    sha256: str
    publisher: str
    title: str
    language: str
    published: date | None  # the day, when the text fixes one
    date_basis: str
    date_evidence: str
    author: str
    url: str
    notes: str
    claims: tuple[Claim, ...]
    not_claims: tuple[NotClaim, ...]
    text: str | None = field(default=None, repr=False)  # None when the seed could not be read
    published_earliest: date | None = None  # the days the text allows (an EDTF interval in the annotation)
    published_latest: date | None = None


class _Lines:
    """Line numbers of a parsed document's list items, and of keys within them (the parser's)."""

    def __init__(self, doc: Node | None):
        self.doc = doc

    def item(self, at: tuple[str, int]) -> int:
        return self.doc[at[0]][at[1]].line

    def key(self, key: str, at: tuple[str, int] | None = None) -> int:
        """The line of `key` in list item `at` (list name, index), or at the top level when None."""
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
        if PLAIN_NUMBER.fullmatch(text):
            return Decimal(text)
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a plain number",
                     "digits with an optional decimal point, e.g. 4000000000 or 1.5",
                     repr(text), "write the number in full: 4000000000, not 4bn, 4e9 or 4,000,000,000")
        return None

    def offset(self, node, item: str, key: str) -> int | None:
        if key not in node:
            return None
        text = node[key].data.strip()
        if PLAIN_INTEGER.fullmatch(text):
            return int(text)
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a character offset",
                     "a whole number without leading zeros, e.g. 1234", repr(text))
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

    def date_range(self, node, item: str, key: str) -> tuple[date | None, date | None]:
        """A day ("2024-05-13") or the days a text allows, as an EDTF interval ("2024-05-12/2024-05-13")."""
        if key not in node or "/" not in node[key].data:
            day = self.date(node, item, key)
            return day, day
        text = node[key].data.strip()
        try:
            parsed = edtf.parse_edtf(text)
            earliest, latest = (edtf.struct_time_to_date(t) for t in (parsed.lower_strict(), parsed.upper_strict()))
            if isinstance(parsed, edtf.Interval) and all(ISO_DATE.fullmatch(p) for p in text.split("/")) \
                    and earliest < latest:
                return earliest, latest
        except (edtf.EDTFParseException, ValueError, AttributeError, OverflowError):
            pass
        self.problem(self.lines.key(key, self.at), item, f"{key} is not a date or an interval of days",
                     "an ISO date YYYY-MM-DD, or earliest/latest as an EDTF interval: 2024-05-12/2024-05-13",
                     repr(text))
        return None, None


def _text(node, key: str) -> str:
    return node[key].data.strip() if key in node else ""


# After YAML unescaping ("\0", "\e[31m"), text may hold no control character but tab and newline.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def control_characters(read: "_Reader", node, item: str) -> None:
    """A Problem for each value of a mapping that holds a control character once unescaped."""
    if not isinstance(node.value, dict):
        return
    for key, child in node.value.items():
        value = child.data
        for text in (value if isinstance(value, list) else [value]):
            bad = CONTROL.search(text) if isinstance(text, str) else None
            if bad:
                read.problem(read.lines.key(key, read.at), item, f"{key} holds a control character",
                             "printable text (tab and newline only, in a block)", f"U+{ord(bad.group()):04X}",
                             "remove the escape sequence from the value")


# Characters YAML does not allow in a document (YAML 1.2, 5.1): most C0 and C1 controls; and
# the line separators U+0085, U+2028 and U+2029, which the YAML parser counts as line breaks and
# most editors do not, so that no line number could point at the right line for both.
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _parse_yaml(path: Path, rel: str, schema, problems: list[Problem]) -> tuple[Node | None, _Lines]:
    try:
        text = path.read_text(encoding="utf-8")
        bad = NOT_YAML.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            problems.append(Problem(f"{rel}:{line}", "", "control character YAML does not allow",
                                    "printable text", f"U+{ord(bad.group()):04X}", "delete it"))
            return None, _Lines(None)
        doc = load_yaml(text, schema)
        return doc, _Lines(doc)
    except UnicodeDecodeError as error:
        problems.append(Problem(rel, "", "file is not UTF-8 text", "UTF-8", str(error)))
    except YamlError as error:
        problems.append(Problem(f"{rel}:{error.line}", "", error.message, hint=error.hint))
    return None, _Lines(None)


def load_facts(root: Path, problems: list[Problem]) -> dict[str, Fact]:
    doc, lines = _parse_yaml(root / FACTS_FILE, FACTS_FILE, FACTS_SCHEMA, problems)
    facts: dict[str, Fact] = {}
    if doc is None:
        return facts
    read = _Reader(problems, FACTS_FILE, lines)
    for index, node in enumerate(doc["facts"]):
        read.at = ("facts", index)
        control_characters(read, node, f"fact {_text(node, 'id')}")
        fact = Fact(
            id=_text(node, "id"), label=_text(node, "label"), subject=_text(node, "subject"),
            metric=_text(node, "metric"), unit=_text(node, "unit"), country=_text(node, "country"),
            regions=tuple(r.strip() for r in node.data.get("regions", [])),
            recipient=_text(node, "recipient"), kind=_text(node, "kind") or ("total" if "sum_of" in node else "pledge"),
            scope=_text(node, "scope"), announced=read.date(node, f"fact {_text(node, 'id')}", "announced"),
            announced_basis=_text(node, "announced_basis"),
            sum_of=tuple(f.strip() for f in node.data.get("sum_of", [])), line=lines.item(read.at),
        )
        if fact.id in facts:
            read.problem(fact.line, f"fact {fact.id}", "duplicate fact id",
                         "each fact id once", f"already defined at line {facts[fact.id].line}")
            continue
        facts[fact.id] = fact
    return facts


def load_region_names(root: Path, problems: list[Problem]) -> dict[str, str]:
    """English names of ISO 3166-2 regions where the ISO name is not the English one."""
    if not (root / REGIONS_FILE).is_file():
        return {}
    doc, _ = _parse_yaml(root / REGIONS_FILE, REGIONS_FILE, REGIONS_SCHEMA, problems)
    return {} if doc is None else {node["code"].data.strip(): node["name"].data.strip() for node in doc["regions"]}


SEED_NAME = re.compile(r"[0-9]{3,}_[0-9a-f]{16}\.txt")
# The five seeds collected before seed names were derived from their sha256: their ids are
# published, so they keep their names; every later seed is named NNN_<first 16 hex of its sha256>.
NAMED_BEFORE_THE_HASH_RULE = frozenset({"000_a740679b1ad3bc90.txt", "001_b24a656a585fab8f.txt",
                                        "002_52083d7952b85408.txt", "003_25e5ca3ece719531.txt",
                                        "004_c4c635be39286977.txt"})


def seed_path(root: Path, seed: str) -> tuple[Path | None, str]:
    """The seed file an annotation names, inside seeds/ and nowhere else, or None and why not.

    The name must be a plain NNN_<16 hex>.txt file name: no directory, no "..", no absolute path;
    and the file must not be a link, so that no annotation can make the build open, hash or print
    a file outside seeds/."""
    if not SEED_NAME.fullmatch(seed):
        return None, "not a seed file name (NNN_<16 hex digits>.txt, in seeds/)"
    folder = (root / SEEDS_DIR).resolve()
    path = root / SEEDS_DIR / seed
    if path.is_symlink() or path.resolve().parent != folder:
        return None, "a link; seeds are plain files in seeds/"
    return path, ""


def read_seed(root: Path, seed: str, rel: str, expected_sha256: str, problems: list[Problem]) -> str | None:
    """The seed's text, or None with a Problem when it is missing, altered or not clean UTF-8."""
    where = f"{SEEDS_DIR}/{seed}"
    path, why = seed_path(root, seed)
    if path is None:
        problems.append(Problem(rel, "seed", f"seed {seed!r} is {why}", "NNN_<16 hex digits>.txt, a file in seeds/",
                                repr(seed), "name the seed file as in seeds/README.md, without any directory"))
        return None
    if not path.is_file():
        problems.append(Problem(rel, "seed", f"seed file {where} does not exist",
                                "a file in seeds/ named as in the annotation's `seed:`", "no such file"))
        return None
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        problems.append(Problem(where, "seed", "seed differs from the one annotated",
                                f"sha256 {expected_sha256} (recorded in {rel})", f"sha256 {digest}",
                                "seeds are evidence and are never edited; restore the original file"))
        return None
    if seed not in NAMED_BEFORE_THE_HASH_RULE and seed.split("_", 1)[1][:16] != digest[:16]:
        number = seed.split("_", 1)[0]
        problems.append(Problem(where, "seed", "seed name does not match its sha256",
                                f"{number}_{digest[:16]}.txt (the first 16 hex digits of its sha256)", seed,
                                f"rename the file to {number}_{digest[:16]}.txt and its annotation to match"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(where, "seed", "seed starts with a byte-order mark",
                                "UTF-8 without BOM", "BOM (EF BB BF)",
                                "save the article without BOM before annotating; offsets count from its first character"))
        return None
    if b"\r" in raw:
        carriage_returns = raw.count(b"\r")
        problems.append(Problem(where, "seed", "seed has CR line endings",
                                "\\n line endings", f"{carriage_returns} CR characters",
                                "convert to \\n before annotating; the build never rewrites seeds, as that would shift offsets"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(where, "seed", "seed is not valid UTF-8", "UTF-8 text",
                                f"byte {raw[error.start]:#04x} at byte offset {error.start}"))
        return None


def occurrences_of(text: str, phrases) -> dict[str, list[int]]:
    """Every offset at which each of `phrases` stands in `text` (overlapping ones too), found in
    one pass over the text by an Aho-Corasick automaton (pyahocorasick): placing a source's quotes
    is not one scan of its seed per quote (4,000 quotes in a 3 MB seed: 0.04 s, against 1.8 s)."""
    automaton = ahocorasick.Automaton()
    for phrase in set(phrases):
        if phrase:
            automaton.add_word(phrase, phrase)
    found: dict[str, list[int]] = {}
    if len(automaton):
        automaton.make_automaton()
        for end, phrase in automaton.iter(text):
            found.setdefault(phrase, []).append(end - len(phrase) + 1)
    return found


def occurrences(text: str, words: str) -> list[int]:
    """Every offset at which `words` stand in `text`."""
    return occurrences_of(text, [words]).get(words, [])


def place(found: dict[str, list[int]], item, read: _Reader, name: str, words: str, at: tuple[str, int], node):
    """`item` with its offsets: as written, or found in the seed when the annotation leaves them out
    (`found`: the offsets of each quote in the seed, occurrences_of).

    A quote that stands more than once in the seed needs `occurrence: N` (1 for the first) to say
    which; offsets written in the annotation are checked later, by check.check_quote.
    """
    read.at = at
    written = [key for key in ("start", "end") if key in node]
    if written == ["start", "end"] or (isinstance(item, NotClaim) and written):
        return item
    if written:
        read.problem(read.lines.key(written[0], at), name, "start and end go together",
                     "both offsets, or neither (the build then finds the quote)", f"only {written[0]}")
        return item
    starts = found.get(words, [])
    occurrence = 1
    if "occurrence" in node:
        given = node["occurrence"].data.strip()
        occurrence = int(given) if PLAIN_INTEGER.fullmatch(given) else 0
        if not 1 <= occurrence <= len(starts):
            read.problem(read.lines.key("occurrence", at), name, "occurrence out of range",
                         f"a number from 1 to {len(starts)} (the quote stands {len(starts)} times in the seed)",
                         repr(given))
            return item
    elif len(starts) > 1:
        read.problem(read.lines.item(at), name, "quote stands more than once in the seed",
                     f"occurrence: 1 to {len(starts)} to say which", f"at offsets {', '.join(map(str, starts))}")
        return item
    if not starts:
        read.problem(read.lines.item(at), name, "quote not found in the seed", "words copied from the seed exactly",
                     repr(words), "copy it from the seed exactly (quotes, dashes, apostrophes)")
        return item
    start = starts[occurrence - 1]
    return replace(item, start=start) if isinstance(item, NotClaim) else replace(item, start=start, end=start + len(words))


def load_source(root: Path, path: Path, problems: list[Problem]) -> Source | None:
    rel = path.relative_to(root).as_posix()
    doc, lines = _parse_yaml(path, rel, SOURCE_SCHEMA, problems)
    if doc is None:
        return None
    read = _Reader(problems, rel, lines)
    source_id = path.stem
    claims = []
    read.at = None
    control_characters(read, doc, "source")
    for index, node in enumerate(doc["claims"]):
        read.at = ("claims", index)
        item = f"claim {_text(node, 'id')}"
        control_characters(read, node, item)
        claims.append(Claim(
            id=_text(node, "id"), source_id=source_id, fact=_text(node, "fact"),
            quote=node["quote"].data, start=read.offset(node, item, "start"),
            end=read.offset(node, item, "end"), subject=_text(node, "subject"),
            metric=_text(node, "metric"), value=read.number(node, item, "value"),
            value_to=read.number(node, item, "value_to"),
            unit=_text(node, "unit"), qualifier=_text(node, "qualifier"),
            target=_text(node, "target"), target_date=read.date(node, item, "target_date"),
            inferred=_text(node, "inferred"), note=_text(node, "note"), line=lines.item(read.at),
        ))
    not_claims = []
    for index, node in enumerate(doc["not_claims"] if "not_claims" in doc else []):
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
                if (root / expected).exists() else f"rename the file to {expected}")
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


def unannotated(root: Path, sources: list[Source]) -> list[str]:
    """Seeds that no annotation names yet: the build leaves them out and says how to draft one."""
    annotated = {s.seed for s in sources}
    return sorted(p.name for p in (root / SEEDS_DIR).glob("*.txt") if p.name not in annotated)


def load(root: Path, cache=None) -> tuple[dict[str, Fact], list[Source]]:
    """All facts and sources under `root`; raises BuildFailed listing every problem found.

    With a cache (pledges.cache.SourceCache), a source whose entry is there is taken from it as it
    was loaded and checked before; the cache's `used` entries say which."""
    problems: list[Problem] = []
    missing = [part for part in (FACTS_FILE, SOURCES_DIR) if not (root / part).exists()]
    if missing:
        raise BuildFailed([Problem(part, "", f"{part} does not exist", "annotations/facts.yaml and annotations/sources/ "
                                   "(one <seed stem>.yaml per seed)", "nothing there",
                                   "run the command in the package's folder, or restore it from git") for part in missing])
    facts = cache.facts() if cache is not None else None
    if facts is None:
        facts = load_facts(root, problems)  # the build keeps them in the cache once they pass its checks
    sources_dir = root / SOURCES_DIR
    for stray in sorted(p for p in (root / "annotations").iterdir()
                        if p.name not in ("facts.yaml", "regions.yaml", "sources")):
        problems.append(Problem(stray.relative_to(root).as_posix(), "", "unexpected file in annotations/",
                                "only annotations/facts.yaml and annotations/sources/<seed stem>.yaml", stray.name,
                                "move or delete it"))
    sources = []
    for path in sorted(sources_dir.iterdir()):
        if path.suffix != ".yaml" or not path.is_file():
            problems.append(Problem(path.relative_to(root).as_posix(), "", "unexpected file in annotations/sources/",
                                    "one <seed stem>.yaml per seed", path.name,
                                    "rename it to <seed stem>.yaml, or move it out"))
            continue
        entry = cache.source(cache.key(path, root / SEEDS_DIR / f"{path.stem}.txt")) if cache is not None else None
        source = entry["source"] if entry is not None else load_source(root, path, problems)
        if source is not None:
            sources.append(source)
    if problems:
        raise BuildFailed(problems)
    return facts, sources
