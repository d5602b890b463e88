"""Draft an annotation for a new article: every figure the build's reader finds, as a claim or a not-claim.

    python -m pledges.suggest.draft seeds/<file>.txt [--language en|fr|it] [--published YYYY-MM-DD] [--out drafts/]

Every figure the build's own reader finds (pledges.reading.numbers) becomes either a draft claim,
with its quote (the clause that states it, cut from the seed so that its offsets are right), value,
unit, qualifier, metric, subject, deadline and who states it, or a `not_claims` entry with the
reason it is not one, so that the draft passes the build's coverage check once its facts are named.
The rules are in the modules of pledges.suggest: quotes, subjects, deadlines, metrics, notclaims,
attribution, and claims, which puts them together.

Who states a figure is written as a comment under each claim (`# attribution: company`), since
the loader does not read an `attribution` key yet; `--attribution-key` writes it as a key instead.
Facts and source details are left as TODO for the person who reviews the draft.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from datetime import date
from pathlib import Path

from pledges import ROOT
from pledges.errors import command
from pledges.suggest.claims import Suggestion, suggest
from pledges.suggest.deadlines import published_date
from pledges.suggest.quotes import STOP_WORDS, detect_language, sentences
from pledges.suggest.subjects import known_subjects, organisations

__all__ = ["Suggestion", "detect_language", "draft", "dump", "known_subjects", "main", "organisations",
           "sentences", "suggest"]


def draft(seed: Path, language: str | None = None, known: frozenset[str] = frozenset(),
          published: date | None = None, attribution_key: bool = False) -> str:
    """The draft annotation of `seed`, as YAML text the loader accepts once the TODOs are done.
    `published` is the article's date when it is known from elsewhere (the page)."""
    raw = seed.read_bytes()
    text = raw.decode("utf-8")
    language = language or detect_language(text)
    stated, evidence = published_date(text, language)
    suggestions = suggest(text, language, known, published)
    claims = []
    for number, s in enumerate([s for s in suggestions if s.claim], start=1):
        claim = {"id": f"c{number:02d}", "fact": "TODO", "quote": text[s.quote_start:s.quote_end],
                 "start": str(s.quote_start), "end": str(s.quote_end), "subject": s.subject,
                 "metric": s.metric, "value": format(s.figure.value, "f"), "unit": s.unit,
                 "qualifier": s.figure.qualifier}
        if s.figure.value_to is not None:
            claim["value_to"] = format(s.figure.value_to, "f")
        if s.target:
            claim.update(target=s.target, target_date=s.target_date)
        if s.inferred:
            claim["inferred"] = s.inferred
        claim["attribution" if attribution_key else "# attribution"] = s.attribution
        claims.append(claim)
    quoted = [(int(c["start"]), int(c["end"])) for c in claims]
    not_claims = [{"text": text[s.figure.start:s.figure.end], "start": str(s.figure.start), "reason": s.reason}
                  for s in suggestions if not s.claim
                  and not any(a <= s.figure.start and s.figure.end <= b for a, b in quoted)]
    dated = published or stated
    basis = "stated" if stated and not published else "inferred" if published else "unknown"
    document = {"seed": seed.name, "sha256": hashlib.sha256(raw).hexdigest(), "publisher": "TODO",
                "title": "TODO", "language": language, "published": dated.isoformat() if dated else "",
                "date_basis": basis, "date_evidence": evidence if stated and not published else (
                    "given to make suggest" if published else ""), "author": "",
                "url": "", "notes": "Draft by make suggest; review every claim and not-claim.", "claims": claims}
    if not_claims:
        document["not_claims"] = not_claims
    return dump(document)


PLAIN = re.compile(r"[\w€$£(][^\n]*")
NOT_PLAIN = re.compile(r":\s|\s#|:$")  # what would end or comment a plain scalar in a block


def _scalar(value: str) -> str:
    """A value as YAML writes it: plain where the package's loader reads it back unchanged, else
    double-quoted (a JSON string is a YAML double-quoted string)."""
    if value and PLAIN.fullmatch(value) and not NOT_PLAIN.search(value) and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def dump(document: dict) -> str:
    """The draft annotation as YAML in the annotations' layout: keys, then the claims list."""
    lines = []
    for key, value in document.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                for number, (name, text) in enumerate(item.items()):
                    if name.startswith("#"):  # a comment the loader skips
                        lines.append(f"    {name}: {text}")
                        continue
                    lines.append(f"  {'- ' if number == 0 else '  '}{name}: {_scalar(text)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


@command("suggest")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draft an annotation for a seed article.")
    parser.add_argument("seed", type=Path)
    parser.add_argument("--language", choices=sorted(STOP_WORDS))
    parser.add_argument("--out", type=Path, default=Path("drafts"))
    parser.add_argument("--published", type=date.fromisoformat, help="the article's date, when its page gives it")
    parser.add_argument("--attribution-key", action="store_true",
                        help="write who states each figure as an `attribution:` key, not a comment")
    args = parser.parse_args(argv)
    if not args.seed.is_file():
        print(f"{args.seed}: no such seed file", file=sys.stderr)
        return 1
    try:
        yaml = draft(args.seed, args.language, known_subjects(ROOT), args.published, args.attribution_key)
    except UnicodeDecodeError as error:
        print(f"{args.seed}: not UTF-8 text ({error})", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.seed.stem}.yaml"
    path.write_text(yaml, encoding="utf-8")
    print(f"==> wrote {path}: {yaml.count('- id:')} candidate claims and {yaml.count('- text:')} not-claims; "
          f"review them, fill in the TODOs, then move it to annotations/sources/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
