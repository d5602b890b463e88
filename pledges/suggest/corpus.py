"""Read the evaluation texts: what a careful reader says each figure of a text is.

An evaluation file (evaluation/corpus.yaml, holdout.yaml, holdout2.yaml) lists texts written by the
maintainers, a sentence or a short article each. Under each text, every figure a draft should propose
as a claim, on one line:

    <words in the text>[ @N] = <value>[-<value_to>] <unit>[; subject S][; metric M][; by YYYY-MM-DD]
                                                       [; qualifier Q][; attribution A]

`@N` picks the Nth occurrence of the words (1 for the first); subject and metric are required, `?`
meaning the text does not say (a draft's TODO is then right); a figure with no `by` has no deadline in its text and no
`qualifier` is unhedged. `not_claims` lists the words of figures that are not claims (an exchange-rate
note, a rank, money raised). `date` is the article's date as its text states it (a draft must read it);
`given_date` is a date the text does not state, handed to the suggester as a page's metadata would be.
Format errors name the file, the line and what was expected.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pledges.inputs.yamlfile import Map, Node, Seq, Str, YamlError
from pledges.inputs.yamlfile import read as read_yaml

LANGUAGES = ("en", "fr", "it")
FIGURE = re.compile(r"(?P<words>.+?)(?: @(?P<occurrence>[1-9]\d*))? = (?P<value>[0-9.]+)(?:-(?P<value_to>[0-9.]+))?"
                    r" (?P<unit>[^\s;]+)(?P<fields>(?:; [^;]+)*)")
FIELDS = ("subject", "metric", "by", "qualifier", "attribution")
QUALIFIERS = ("unhedged", "about", "nearly", "more_than", "at_least", "up_to")
ATTRIBUTIONS = ("company", "other", "reporter")
WORDS = re.compile(r"(?P<words>.+?)(?: @(?P<occurrence>[1-9]\d*))?")
TEXTS = Map({"sentences": Seq(Map({"lang": Str, "text": Str},
                                  {"figures": Seq(Str), "not_claims": Seq(Str), "date": Str, "given_date": Str}))})


@dataclass(frozen=True)
class Expected:
    """A figure a draft should propose as a claim, with what a careful reader says of it."""

    start: int
    end: int
    value: Decimal
    value_to: Decimal | None
    unit: str
    subject: str = "?"
    metric: str = "?"
    deadline: str = ""  # ISO date, "" when the text gives none
    qualifier: str = "unhedged"
    attribution: str = ""  # "" when not annotated


@dataclass
class Text:
    name: str
    language: str
    text: str
    figures: list[Expected]
    not_claims: list[tuple[int, int]] = field(default_factory=list)
    date: datetime.date | None = None  # stated in the text
    given_date: datetime.date | None = None  # handed to the suggester

    @property
    def multi_sentence(self) -> bool:
        return "\n" in self.text.strip()


def _locate(text: str, words: str, occurrence: str | None) -> tuple[int, int] | None:
    # the words end where a figure ends: "100" is not the start of "100 000" or "100,5"
    tail = r"(?!\w)(?![ \u00a0\u202f.,]\d)" if words[-1:].isalnum() else ""
    found = list(re.finditer(rf"(?<![\w.,]){re.escape(words)}{tail}", text))
    index = int(occurrence or 1) - 1
    return (found[index].start(), found[index].end()) if index < len(found) else None


def _date(value: str, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _figure(written: str, text: str, where: str) -> Expected:
    match = FIGURE.fullmatch(written)
    span = match and _locate(text, match["words"], match["occurrence"])
    if match is None or span is None:
        raise ValueError(f"{where}: {written!r} is not '<words in the text>[ @N] = <value> <unit>"
                         f"[; <field> <value>]...' (in the text {text[:60]!r})")
    fields: dict[str, str] = {}
    for part in filter(None, match["fields"].split("; ")):
        key, _, value = part.partition(" ")
        if key not in FIELDS or not value.strip():
            raise ValueError(f"{where}: {part!r} is not '<field> <value>' with a field among {', '.join(FIELDS)}")
        fields[key] = value.strip()
    if fields.get("qualifier", "unhedged") not in QUALIFIERS:
        raise ValueError(f"{where}: qualifier {fields['qualifier']!r} is not one of {', '.join(QUALIFIERS)}")
    if fields.get("attribution", "company") not in ATTRIBUTIONS:
        raise ValueError(f"{where}: attribution {fields['attribution']!r} is not one of {', '.join(ATTRIBUTIONS)}")
    missing = [key for key in ("subject", "metric") if key not in fields]
    if missing:
        raise ValueError(f"{where}: {written!r} has no {' and no '.join(missing)} "
                         f"(write '?' where the text does not say)")
    deadline = _date(fields["by"], where).isoformat() if "by" in fields else ""
    value_to = Decimal(match["value_to"]) if match["value_to"] else None
    return Expected(span[0], span[1], Decimal(match["value"]), value_to, match["unit"], fields["subject"],
                    fields["metric"], deadline, fields.get("qualifier", "unhedged"), fields.get("attribution", ""))


def read_texts(root: Path, where: str) -> list[Text]:
    """The texts of the evaluation file `where` (evaluation/<name>.yaml) of the package under `root`,
    read through the safe file layer (a link or special file is refused), with their expected
    figures and not-claims."""
    try:
        document = read_yaml(root, where, TEXTS)
    except YamlError as error:
        raise ValueError(f"{where}:{error.line}: {error.message}") from None
    result = []
    for entry in document["sentences"]:
        line = f"{where}:{entry.line}"
        language, text = entry["lang"].data, entry["text"].data
        if language not in LANGUAGES:
            raise ValueError(f"{line}: lang {language!r} is not one of {', '.join(LANGUAGES)}")
        figures = [_figure(node.data, text, f"{where}:{node.line}") for node in _items(entry, "figures")]
        not_claims = []
        for node in _items(entry, "not_claims"):
            words = WORDS.fullmatch(node.data)
            span = words and _locate(text, words["words"], words["occurrence"])
            if span is None:
                raise ValueError(f"{where}:{node.line}: not_claims entry {node.data!r} is not words of the text")
            not_claims.append(span)
        dated = {key: _date(entry[key].data, line) for key in ("date", "given_date") if key in entry}
        result.append(Text(f"{Path(where).stem}:{entry.line}", language, text, figures, not_claims,
                           dated.get("date"), dated.get("given_date")))
    return result


def _items(entry: Node, key: str) -> list[Node]:
    return list(entry[key]) if key in entry else []
