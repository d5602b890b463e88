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

from pledges import ROOT, files
from pledges.errors import command
from pledges.suggest.claims import Suggestion, suggest
from pledges.suggest.deadlines import published_date
from pledges.suggest.quotes import STOP_WORDS, detect_language, sentences
from pledges.suggest.subjects import known_subjects, organisations

__all__ = ["Suggestion", "detect_language", "draft", "dump", "known_subjects", "main", "organisations",
           "sentences", "suggest"]


def draft(seed: Path, language: str | None = None, known: frozenset[str] = frozenset(),
          published: date | None = None, raw: bytes | None = None) -> str:
    """The draft annotation of `seed`, as YAML text the loader accepts once the TODOs are done.
    `published` is the article's date when it is known from elsewhere (the page); `raw`, the
    seed's bytes where the caller read them (make suggest reads them through pledges.files)."""
    raw = seed.read_bytes() if raw is None else raw
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
        claim["attribution"] = s.attribution
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
    parser.add_argument("seed", type=Path, help="the seed, in the package's seeds/ folder")
    parser.add_argument("--language", choices=sorted(STOP_WORDS))
    parser.add_argument("--out", type=Path, default=Path("drafts"), help="a folder of the package (default drafts/)")
    parser.add_argument("--published", type=date.fromisoformat, help="the article's date, when its page gives it")
    parser.add_argument("--root", type=Path, default=ROOT, help="the package (default: this checkout)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    seed, out = inside(root, args.seed), inside(root, args.out)
    if seed is None or out is None:
        print(f"{args.seed if seed is None else args.out}: not inside the package ({root}); drafts are made of "
              "seeds in seeds/, into a folder of the package", file=sys.stderr)
        return 1
    if files.kind(root, seed) is None:
        print(f"{args.seed}: no such seed file", file=sys.stderr)
        return 1
    raw = files.read_bytes(root, seed)  # a link or special file is refused (files.Unsafe), never read
    try:
        yaml = draft(Path(seed), args.language, known_subjects(root), args.published, raw=raw)
    except UnicodeDecodeError as error:
        print(f"{args.seed}: not UTF-8 text ({error})", file=sys.stderr)
        return 1
    written = f"{out}/{Path(seed).stem}.yaml"
    files.write_text(root, written, yaml)  # a new file renamed into place: never through a link
    print(f"==> wrote {written}: {yaml.count('- id:')} candidate claims and {yaml.count('- text:')} not-claims; "
          f"review them, fill in the TODOs, then move it to annotations/sources/")
    return 0


def inside(root: Path, path: Path) -> str | None:
    """`path` (absolute, or relative to the package) as a path of the package, or None when it
    is outside it; the safe file layer refuses any link on the way."""
    if path.is_absolute():
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return None
    return None if ".." in path.parts else path.as_posix()


if __name__ == "__main__":
    sys.exit(main())
